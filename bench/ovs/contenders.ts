// The contenders, each bound to its own fresh ovsdb-server + ovs-vswitchd (dummy datapath) with
// br-int (datapath_type netdev): vswitchd's reconfiguration cost grows with the bridge, so sharing
// one would charge later contenders for earlier ports. A session binds the next `count` ports when
// asked and returns the time that took (and, for a contender in a process of its own, the CPU time
// that process used meanwhile); it is verified before its daemons stop.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { OvsInstance } from '../../test/harness/ovs.js';
import { BRIDGE, portSpec } from './ports.js';
import { readCfg, verifyPorts } from './verify.js';
import type { BlockReply, FinalReply, ReadyReply } from './child-protocol.js';
import { processCpuMs } from '../shared/proc-cpu.js';

/** Debian's interpreter: python3 on PATH may be a pyenv without python3-ovsdbapp. */
const SYSTEM_PYTHON = '/usr/bin/python3';
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
// This file runs from dist/bench/ovs/; the Python script is not compiled, so it stays in bench/ovs/.
const OVSDBAPP_SCRIPT = here('../../../bench/ovs/ovsdbapp_bind.py');

export type ContenderId = 'agent' | 'raw' | 'ovsdbapp' | 'ovsVsctl';

/** One timed block of binding. */
export interface BlockTime {
  /** Wall time, from the contender's own timer around the binding. */
  ms: number;
  /**
   * CPU ms (user + system, every thread) of the contender's process over the block, from
   * /proc/PID/stat; undefined for the ovs-vsctl loop, which is a new process per port.
   */
  cpuMs: number | undefined;
}

export interface Session {
  readonly id: ContenderId;
  /** Binds the next `count` ports, one transaction each, or all in one when `batch`. */
  bind(count: number, batch: boolean): Promise<BlockTime>;
  /** Ends the session: max RSS of the binding process, MB (undefined for ovs-vsctl). */
  finish(): Promise<number | undefined>;
}

/** A contender with its own daemons, verified when done. */
export class Trial {
  private bound = 0;
  private transactions = 0;

  private constructor(
    readonly ovs: OvsInstance,
    readonly session: Session,
    private readonly baseNextCfg: number,
  ) {}

  static async start(id: ContenderId): Promise<Trial> {
    const ovs = await OvsInstance.start({ bridge: BRIDGE });
    try {
      const base = await readCfg(ovs);
      return new Trial(ovs, await openSession(id, ovs), base.next);
    } catch (err) {
      await ovs.stop();
      throw err;
    }
  }

  async bind(count: number, batch: boolean): Promise<BlockTime> {
    const t = await this.session.bind(count, batch);
    this.bound += count;
    this.transactions += batch ? 1 : count;
    return t;
  }

  /** Ends the session, checks every port through ovs-vsctl, stops the daemons; returns max RSS. */
  async finish(): Promise<number | undefined> {
    try {
      const rss = await this.session.finish();
      await verifyPorts(this.ovs, this.session.id, {
        ports: this.bound,
        baseNextCfg: this.baseNextCfg,
        transactions: this.transactions,
        owned: this.session.id === 'agent' || this.session.id === 'raw',
      });
      return rss;
    } finally {
      await this.ovs.stop();
    }
  }

  /** Stops the daemons without verifying (after a failure elsewhere). */
  async abandon(): Promise<void> {
    await this.ovs.stop();
  }
}

function openSession(id: ContenderId, ovs: OvsInstance): Promise<Session> {
  switch (id) {
    case 'agent':
      return LineChild.start(id, process.execPath, [here('agent-bind.js'), '--remote', ovs.unixRemote]);
    case 'raw':
      return LineChild.start(id, process.execPath, [here('raw-client.js'), '--remote', ovs.unixRemote]);
    case 'ovsdbapp':
      return LineChild.start(id, SYSTEM_PYTHON, [OVSDBAPP_SCRIPT, '--remote', ovs.unixRemote]);
    case 'ovsVsctl':
      return Promise.resolve(new VsctlLoop(ovs));
  }
}

/** A contender process speaking child-protocol.ts on stdin/stdout. */
class LineChild implements Session {
  private readonly lines: string[] = [];
  private waiting: ((line: string | Error) => void) | undefined;
  private stderr = '';
  private exit: Error | undefined;

  private constructor(
    readonly id: ContenderId,
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
  ) {
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.deliver(line));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    // 'close', not 'exit': by then every line on stdout has been delivered.
    child.once('close', (code, signal) => {
      this.exit = new Error(`${id} process exited with ${code ?? signal}: ${this.stderr.trim()}`);
      this.waiting?.(this.exit);
    });
  }

  /**
   * Starts the child and waits for its ready line, so that its start-up (loading modules, connecting,
   * the first monitor snapshot) falls in no block's CPU time.
   */
  static async start(id: ContenderId, cmd: string, args: string[]): Promise<LineChild> {
    const child = new LineChild(id, spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    try {
      const first = await child.nextLine();
      if ((JSON.parse(first) as Partial<ReadyReply>).ready !== true) throw new Error(`${id} process said ${first} instead of ready`);
    } catch (err) {
      child.child.kill('SIGKILL');
      throw err;
    }
    return child;
  }

  async bind(count: number, batch: boolean): Promise<BlockTime> {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`${this.id} process did not start: ${this.stderr.trim()}`);
    const cpuBefore = processCpuMs(pid);
    this.child.stdin.write(`${batch ? 'batch' : 'bind'} ${count}\n`);
    const reply = JSON.parse(await this.nextLine()) as BlockReply;
    // Read once the reply is in: the child is then idle, waiting for its next command.
    return { ms: reply.ms, cpuMs: processCpuMs(pid) - cpuBefore };
  }

  async finish(): Promise<number> {
    const exited = new Promise<void>((resolve) => (this.exit ? resolve() : this.child.once('close', () => resolve())));
    this.child.stdin.end();
    const final = JSON.parse(await this.nextLine()) as FinalReply;
    await exited;
    if (this.child.exitCode !== 0) throw new Error(`${this.id} process exited with ${this.child.exitCode}: ${this.stderr.trim()}`);
    return final.maxRssMB;
  }

  private deliver(line: string): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w(line);
    } else {
      this.lines.push(line);
    }
  }

  private nextLine(): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exit) return Promise.reject(this.exit);
    return new Promise((resolve, reject) => {
      this.waiting = (line) => (line instanceof Error ? reject(line) : resolve(line));
    });
  }
}

/**
 * One ovs-vsctl process per port, spawned directly (no shell). ovs-vsctl waits for cur_cfg by
 * default and exits non-zero when the interface did not come up (protocol-facts §1.7); --timeout
 * only keeps a broken run from hanging, as ovs-vsctl has no default bound.
 */
class VsctlLoop implements Session {
  readonly id = 'ovsVsctl';
  private next = 0;

  constructor(private readonly ovs: OvsInstance) {}

  async bind(count: number, batch: boolean): Promise<BlockTime> {
    if (batch) throw new Error('the ovs-vsctl contender binds one port per transaction only');
    const started = performance.now();
    for (const end = this.next + count; this.next < end; this.next++) {
      const s = portSpec(this.next);
      await exec('ovs-vsctl', [
        `--db=${this.ovs.unixRemote}`,
        '--timeout=60',
        'add-port',
        BRIDGE,
        s.name,
        '--',
        'set',
        'Interface',
        s.name,
        `external-ids:iface-id=${s.ifaceId}`,
        'external-ids:iface-status=active',
        `external-ids:attached-mac=${s.mac}`,
        `external-ids:vm-uuid=${s.vmUuid}`,
      ]);
    }
    return { ms: performance.now() - started, cpuMs: undefined };
  }

  finish(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

function exec(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal}: ${err.trim()}`));
    });
  });
}
