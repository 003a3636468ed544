// The three ways bench:lxd composes and lists containers on one private LXD, each in a project no
// other contender touches:
//   mooring: the agent's LXD layer through its command executor, the code path an lxd_compose
//            command from the coordinator runs (durable command record in LMDB included), with the
//            lifecycle event stream and its report refreshes running as in the daemon;
//   pylxd:   Debian's python3-pylxd in a persistent child process (pylxd_compose.py);
//   lxc:     one `lxc init` process per container, as a shell loop would;
//   rest:    LXD's limit: bare HTTP on undici (one keep-alive connection, hand-built JSON, no
//            envelope checks, no store, no events), POST then /1.0/operations/ID/wait per
//            container and one GET recursion=1 to list: what any client must at least ask LXD.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { pino } from 'pino';
import { Pool } from 'undici';
import { CommandExecutor } from '../../agent/src/commands/command-executor.js';
import { LxdClient } from '../../agent/src/lxd/rest-client.js';
import { LocalLxd } from '../../agent/src/lxd/local-lxd.js';
import { AgentStore } from '../../agent/src/state/agent-store.js';
import { ROOT } from '../../test/harness/cli.js';
import { runCli, type LxdDaemon } from '../../test/harness/lxd.js';
import { processCpuMs } from '../shared/proc-cpu.js';

export type ContenderId = 'mooring' | 'pylxd' | 'lxc' | 'rest';
export const MEMORY_BYTES = 64 * 2 ** 20;

export interface Contender {
  readonly id: ContenderId;
  /** Creates the named containers one after another; resolves with the elapsed ms. */
  compose(names: readonly string[]): Promise<number>;
  /**
   * Lists the contender's containers with their config and status: ms until the answer; settledMs
   * until work the answer started in the background (Mooring's hardware re-scan) has ended, which
   * the bench waits for so it never runs into the next contender.
   */
  list(): Promise<{ ms: number; count: number; settledMs?: number }>;
  /** CPU ms the client has used so far (its process or, in this process, this process's). */
  cpuMs(): number;
  close(): Promise<void>;
}

/** This process's CPU ms: the in-process contenders (mooring, rest) run one at a time. */
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export class MooringContender implements Contender {
  readonly id = 'mooring';
  private seq = 0;

  private constructor(
    private readonly dir: string,
    private readonly store: AgentStore,
    private readonly host: LocalLxd,
    private readonly executor: CommandExecutor,
  ) {}

  static async start(lxd: LxdDaemon, project: string): Promise<MooringContender> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-bench-lxd-'));
    const store = AgentStore.open(dir);
    const log = pino({ level: 'silent' });
    const host = new LocalLxd(
      new LxdClient({ kind: 'unix', socketPath: lxd.socket }),
      store,
      { defaultImage: 'busybox', stopGraceSeconds: 5, reconnect: { initialMs: 200, maxMs: 2000 } },
      log,
    );
    const executor = new CommandExecutor(store, { binder: () => Promise.reject(new Error('no OVS in bench:lxd')) }, 1000, log, undefined, {
      lxd: host,
    });
    host.start();
    const c = new MooringContender(dir, store, host, executor);
    const r = await executor.execute({ id: 'assign', kind: 'lxdAssignProject', lxdAssignProject: { project, create: true } });
    if (!r.ok) throw new Error(`mooring: assigning ${project} failed: ${r.error}`);
    return c;
  }

  async compose(names: readonly string[]): Promise<number> {
    const t0 = performance.now();
    for (const name of names) {
      const r = await this.executor.execute({
        id: `compose-${++this.seq}`,
        kind: 'lxdCompose',
        lxdCompose: {
          name,
          type: 'container',
          cores: 1,
          pinnedCpus: '',
          memoryBytes: MEMORY_BYTES,
          hugepages: false,
          rootDiskBytes: 0,
          pool: 'default',
          nics: [],
          machineId: `m-${name}`,
          image: 'busybox',
        },
      });
      if (!r.ok) throw new Error(`mooring: composing ${name} failed: ${r.error}`);
    }
    return performance.now() - t0;
  }

  async list(): Promise<{ ms: number; count: number; settledMs: number }> {
    const t0 = performance.now();
    const r = await this.executor.execute({ id: `refresh-${++this.seq}`, kind: 'lxdRefresh', lxdRefresh: {} });
    if (!r.ok) throw new Error(`mooring: refresh failed: ${r.error}`);
    const ms = performance.now() - t0;
    await this.host.hardwareScanSettled();
    return { ms, count: r.lxd?.report?.instances.length ?? 0, settledMs: performance.now() - t0 };
  }

  cpuMs(): number {
    return ownCpuMs();
  }

  async close(): Promise<void> {
    this.host.close();
    await this.store.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export class PylxdContender implements Contender {
  readonly id = 'pylxd';
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(lxd: LxdDaemon) {
    const child = spawn('/usr/bin/python3', [path.join(ROOT, 'bench', 'lxd', 'pylxd_compose.py')], { env: lxd.env });
    this.child = child;
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.lines = createInterface({ input: child.stdout });
    this.lines.on('line', (l) => this.waiting.shift()?.(l));
  }

  private ask(req: unknown): Promise<{ ms: number; count?: number; error?: string }> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(`pylxd child exited: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`));
      this.child.once('exit', onExit);
      this.waiting.push((line) => {
        this.child.off('exit', onExit);
        const out = JSON.parse(line) as { ms: number; count?: number; error?: string };
        if (out.error) reject(new Error(`pylxd: ${out.error}`));
        else resolve(out);
      });
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  async compose(names: readonly string[]): Promise<number> {
    return (await this.ask({ op: 'compose', names })).ms;
  }

  async list(): Promise<{ ms: number; count: number }> {
    const out = await this.ask({ op: 'list' });
    return { ms: out.ms, count: out.count ?? 0 };
  }

  cpuMs(): number {
    return processCpuMs(this.child.pid!);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((r) => this.child.once('exit', r));
  }
}

export class LxcContender implements Contender {
  readonly id = 'lxc';

  constructor(
    private readonly lxd: LxdDaemon,
    private readonly project: string,
  ) {}

  async compose(names: readonly string[]): Promise<number> {
    const t0 = performance.now();
    for (const name of names) {
      await runCli(
        'lxc',
        [
          'init',
          'busybox',
          name,
          '--project',
          this.project,
          '-c',
          'limits.cpu=1',
          '-c',
          `limits.memory=${MEMORY_BYTES}`,
          '-c',
          `user.mooring.machine-id=m-${name}`,
        ],
        this.lxd.env,
      );
    }
    return performance.now() - t0;
  }

  async list(): Promise<{ ms: number; count: number }> {
    const t0 = performance.now();
    const out = await runCli('lxc', ['list', '--project', this.project, '--format', 'json'], this.lxd.env);
    return { ms: performance.now() - t0, count: (JSON.parse(out) as unknown[]).length };
  }

  /** Not counted: every call is a short-lived lxc process. */
  cpuMs(): number {
    return Number.NaN;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class RestContender implements Contender {
  readonly id = 'rest';
  private readonly pool: Pool;

  constructor(
    lxd: LxdDaemon,
    private readonly project: string,
  ) {
    this.pool = new Pool('http://lxd', { socketPath: lxd.socket, connections: 1 });
  }

  private async ask(method: 'GET' | 'POST', path: string, body?: string): Promise<{ metadata: unknown }> {
    const res = await this.pool.request({ method, path, body, headers: body ? { 'content-type': 'application/json' } : {} });
    const out = (await res.body.json()) as { type: string; error?: string; metadata: unknown };
    if (out.type === 'error' || res.statusCode >= 400) throw new Error(`rest: ${method} ${path}: ${out.error ?? res.statusCode}`);
    return out;
  }

  async compose(names: readonly string[]): Promise<number> {
    const t0 = performance.now();
    const q = `project=${this.project}`;
    for (const name of names) {
      const body = JSON.stringify({
        name,
        type: 'container',
        source: { type: 'image', alias: 'busybox' },
        config: { 'limits.cpu': '1', 'limits.memory': String(MEMORY_BYTES), 'user.mooring.machine-id': `m-${name}` },
        devices: { root: { type: 'disk', path: '/', pool: 'default' } },
      });
      const op = (await this.ask('POST', `/1.0/instances?${q}`, body)).metadata as { id: string };
      const done = (await this.ask('GET', `/1.0/operations/${op.id}/wait?timeout=60&${q}`)).metadata as {
        status_code: number;
        err: string;
      };
      if (done.status_code !== 200) throw new Error(`rest: creating ${name} failed: ${done.err}`);
    }
    return performance.now() - t0;
  }

  async list(): Promise<{ ms: number; count: number }> {
    const t0 = performance.now();
    const all = (await this.ask('GET', `/1.0/instances?recursion=1&project=${this.project}`)).metadata as unknown[];
    return { ms: performance.now() - t0, count: all.length };
  }

  cpuMs(): number {
    return ownCpuMs();
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
