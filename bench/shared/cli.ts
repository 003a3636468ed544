// How a benchmark takes its options and how it ends, the same for every `npm run bench:NAME`:
// - `--help` prints the usage and exits 0; an unknown option, a stray argument or a value the bench
//   refuses prints what was wrong and the usage, and exits 2 (never a stack).
// - A run that fails prints `bench:NAME failed: reason` and exits 1.
// - SIGINT or SIGTERM stops what the run started, then exits 128 + the signal's number (130, 143, as
//   a shell reports a job the signal ended, and as the lab does): first the bench's own stop, if it
//   gave one (onInterrupt), then every process still descending from this one. A SIGTERM from a
//   parent (a CI step's timeout, `timeout`, `kill PID`) reaches this process alone, and would leave
//   the etcd members, coordinators, OVS daemons or BMC simulators it started running; a Ctrl-C
//   reaches the whole process group, and this stops them in order all the same.
import { constants } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitsWithin } from '../../test/harness/process-exit.js';
import { childPids } from '../sequence/system-sampler.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The values parseArgs gives for `O` (strict). */
export type BenchValues<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];

export interface Bench {
  /** As in `npm run bench:NAME`. */
  readonly name: string;
  /** What follows `npm run bench:NAME --` in the usage line (options in brackets), and any further lines. */
  readonly usage: string;
}

/** How long the descendants have to exit after SIGTERM before they are sent SIGKILL. */
const GRACE_MS = 10_000;
/** After the stop, how long main has to settle (its cleanup: temporary directories) before the exit. */
const SETTLE_MS = 15_000;

export function usageText(bench: Bench): string {
  return `usage: npm run bench:${bench.name} -- ${bench.usage}\n`;
}

/** Says what was wrong with the options, and the usage; exits 2. */
function refuse(bench: Bench, error: unknown): never {
  process.stderr.write(`bench:${bench.name}: ${error instanceof Error ? error.message : String(error)}\n${usageText(bench)}`);
  process.exit(2);
}

/**
 * Parses the command line's options for `bench`, with `--help` (`-h`) beside them, and hands the
 * values to `check`, which converts them and throws, naming the option, on a value it refuses.
 */
export function benchOptions<const O extends OptionsConfig, R>(bench: Bench, options: O, check: (values: BenchValues<O>) => R): R {
  let values: BenchValues<O>;
  try {
    const parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(usageText(bench));
      process.exit(0);
    }
    values = parsed.values;
  } catch (error) {
    return refuse(bench, error);
  }
  try {
    return check(values);
  } catch (error) {
    return refuse(bench, error);
  }
}

/** A whole number from `min` to `max` given for `flag`. */
export function wholeNumber(text: string | undefined, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new Error(`${flag} takes a whole number from ${min} to ${max}, not ${text ?? 'nothing'}`);
  return n;
}

/** A number (fractions too) of at least `min` given for `flag`; above it only when `exclusive`. */
export function numberAtLeast(text: string | undefined, flag: string, min: number, exclusive = false): number {
  const n = Number(text);
  const ok = text !== undefined && text.trim() !== '' && Number.isFinite(n) && (exclusive ? n > min : n >= min);
  if (!ok) throw new Error(`${flag} takes a number ${exclusive ? 'above' : 'of at least'} ${min}, not ${text ?? 'nothing'}`);
  return n;
}

/** One of `choices` given for `flag`. */
export function oneOf<const C extends string>(text: string | undefined, flag: string, choices: readonly C[]): C {
  if (!choices.includes(text as C)) throw new Error(`${flag} takes ${choices.join(' or ')}, not ${text ?? 'nothing'}`);
  return text as C;
}

export interface BenchRun {
  /**
   * What stops the run's peers in order (the bench's own cleanup), run first on SIGINT or SIGTERM;
   * the processes still running after it are stopped by signal. The latest registered counts.
   */
  onInterrupt(stop: () => Promise<void>): void;
}

/** Runs a benchmark's main: its failure and SIGINT/SIGTERM end the process as the comment above says. */
export function runBench(bench: Bench, main: (run: BenchRun) => Promise<void>): void {
  let stop: (() => Promise<void>) | undefined;
  let interrupted = false;
  const finished = main({ onInterrupt: (s) => void (stop = s) });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nbench:${bench.name}: ${signal}: stopping what the run started\n`);
    void (async () => {
      await stop?.().catch((error: unknown) => process.stderr.write(`bench:${bench.name}: stopping: ${String(error)}\n`));
      await stopDescendants(process.pid, GRACE_MS);
      await Promise.race([finished.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, SETTLE_MS))]);
      process.exit(128 + constants.signals[signal]);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  finished.then(
    () => {
      if (!interrupted) process.exit();
    },
    (error: unknown) => {
      if (interrupted) return; // its peers were stopped under it: the signal's exit follows
      process.stderr.write(`\nbench:${bench.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** The pids of every process below `pid` (its children, theirs, ...). */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    let children: number[] = [];
    try {
      children = childPids(queue.shift()!);
    } catch {
      // it exited while being read
    }
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** SIGTERM to every descendant of `pid`, then SIGKILL to those still there after `graceMs`. */
export async function stopDescendants(pid: number, graceMs: number): Promise<void> {
  const pids = descendants(pid);
  for (const p of pids) signal(p, 'SIGTERM');
  const exited = await Promise.all(pids.map((p) => exitsWithin(p, graceMs)));
  // Children a process started while it was stopping are found again.
  for (const p of [...pids.filter((_, i) => !exited[i]), ...descendants(pid)]) signal(p, 'SIGKILL');
}
