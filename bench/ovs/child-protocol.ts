// How run.ts drives a contender that lives in a process of its own (the agent, the reference
// client, ovsdbapp): the child prints {"ready":true} once connected and set up, then takes one
// command per stdin line, "bind <count>" (the next <count> ports, one
// transaction each) or "batch <count>" (the next <count> ports in one transaction); the child
// answers each with one JSON line {"ms"} timing only the binding, and when stdin ends it prints
// {"maxRssMB"} and exits. Keeping the child alive lets run.ts interleave the contenders in blocks,
// so load from anything else on the machine falls on all of them alike.

import readline from 'node:readline';
import { performance } from 'node:perf_hooks';

export interface Command {
  kind: 'bind' | 'batch';
  count: number;
}

/** The child's first line: it is connected and set up, so what follows is only the binding. */
export interface ReadyReply {
  ready: true;
}

export interface BlockReply {
  ms: number;
}

export interface FinalReply {
  maxRssMB: number;
}

export function parseCommand(line: string): Command {
  const [kind, count] = line.trim().split(/\s+/);
  const n = Number(count);
  if ((kind !== 'bind' && kind !== 'batch') || !Number.isInteger(n) || n < 1) throw new Error(`bad command ${JSON.stringify(line)}`);
  return { kind, count: n };
}

/** Says ready, reads commands until stdin ends, timing `handle` for each; then reports max RSS. */
export async function serveCommands(handle: (cmd: Command) => Promise<void>): Promise<void> {
  const ready: ReadyReply = { ready: true };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const cmd = parseCommand(line);
    const started = performance.now();
    await handle(cmd);
    const reply: BlockReply = { ms: performance.now() - started };
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
  const final: FinalReply = { maxRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(final)}\n`);
}

/** `--name value` pairs; every name is required. */
export function childArgs(argv: readonly string[], names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const value = argv[i + 1];
    if (!key || value === undefined || !names.includes(key)) throw new Error(`unexpected argument ${argv[i]}`);
    out[key] = value;
  }
  for (const n of names) if (!(n in out)) throw new Error(`missing --${n}`);
  return out;
}
