// An LocalLxd on a private LXD daemon with a real LMDB agent store, for the LXD component tests, and
// an event-driven wait on its reports (no fixed sleeps).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { LxdDaemon, type LxdOptions } from '../../harness/lxd.js';
import { AgentStore } from '../../../agent/src/state/agent-store.js';
import { LxdClient, type LxdExchange } from '../../../agent/src/lxd/rest-client.js';
import { LocalLxd } from '../../../agent/src/lxd/local-lxd.js';
import type { LxdEndpoint } from '../../../agent/src/lxd/endpoint.js';
import type { AgentCommand__Output, LxdReport__Output } from '../../../proto/generated/index.js';
import { CommandExecutor, type CommandOutcome } from '../../../agent/src/commands/command-executor.js';

export const log = pino({ level: process.env.TEST_LOG ?? 'silent' });

export class LxdFixture {
  private seq = 0;
  private constructor(
    readonly lxd: LxdDaemon,
    readonly dir: string,
    public store: AgentStore,
    public host: LocalLxd,
    public executor: CommandExecutor,
    /** Every exchange the agent's LXD client had, in the order they finished (tests count and clear them). */
    readonly exchanges: LxdExchange[],
  ) {}

  static async start(options: LxdOptions = {}, endpoint?: (lxd: LxdDaemon) => Promise<LxdEndpoint>): Promise<LxdFixture> {
    const lxd = await LxdDaemon.start(options);
    const dir = await mkdtemp(path.join(tmpdir(), 'mooring-lxd-agent-'));
    const store = AgentStore.open(dir);
    const ep = endpoint ? await endpoint(lxd) : { kind: 'unix' as const, socketPath: lxd.socket };
    const exchanges: LxdExchange[] = [];
    const host = newHost(ep, store, exchanges);
    const f = new LxdFixture(lxd, dir, store, host, newExecutor(store, host), exchanges);
    host.start();
    return f;
  }

  /** Runs one command through the agent's command executor (the lxd_* code path of the agent link). */
  command(body: Omit<AgentCommand__Output, 'id'>, id = `cmd-${++this.seq}`): Promise<CommandOutcome> {
    return this.executor.execute({ id, ...body });
  }

  /** Closes the host and store and opens both again on the same data dir (an agent restart). */
  async restartAgent(endpoint: LxdEndpoint = { kind: 'unix', socketPath: this.lxd.socket }): Promise<void> {
    await this.executor.idle();
    this.host.close();
    await this.store.close();
    this.store = AgentStore.open(this.dir);
    this.host = newHost(endpoint, this.store, this.exchanges);
    this.executor = newExecutor(this.store, this.host);
    this.host.start();
  }

  async stop(): Promise<void> {
    await this.executor?.idle();
    this.host?.close();
    await this.store?.close();
    await this.lxd?.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function newHost(endpoint: LxdEndpoint, store: AgentStore, exchanges: LxdExchange[]): LocalLxd {
  return new LocalLxd(
    new LxdClient(endpoint, { onExchange: (e) => exchanges.push(e) }),
    store,
    { defaultImage: '', stopGraceSeconds: 1, reconnect: { initialMs: 100, maxMs: 1000 } },
    log,
  );
}

function newExecutor(store: AgentStore, host: LocalLxd): CommandExecutor {
  return new CommandExecutor(store, { binder: () => Promise.reject(new Error('no OVS in LXD tests')) }, 1000, log, undefined, {
    lxd: host,
  });
}

/** Resolves with the first report (current or coming) that satisfies pred; rejects after timeoutMs. */
export function waitForReport(
  host: LocalLxd,
  pred: (r: LxdReport__Output) => boolean,
  timeoutMs = 30_000,
  what = 'an LXD report',
): Promise<LxdReport__Output> {
  if (pred(host.report)) return Promise.resolve(host.report);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      host.off('report', on);
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; last report: ${JSON.stringify({ ...host.report, resources: undefined })}`,
        ),
      );
    }, timeoutMs);
    const on = (r: LxdReport__Output): void => {
      if (!pred(r)) return;
      clearTimeout(timer);
      host.off('report', on);
      resolve(r);
    };
    host.on('report', on);
  });
}

export const names = (r: LxdReport__Output): string[] => r.instances.map((i) => i.name);
