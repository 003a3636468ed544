// An agent worker: a child process of run.ts holding many simulated agents, each with its own
// certificate, connection and session (simulated-agent.ts). Driven over the fork() IPC channel
// (worker-protocol.ts); exits when the channel closes, so a dying run.ts leaves no worker behind.
//
//   node agent-worker.js --address HOST:PORT --ca-file FILE [--key-pool N] [--report-acks]

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AGENT_VERSION } from '../../agent/src/version.js';
import { Enroller, KeyPool, type AgentIdentity } from './identity.js';
import { SimulatedAgent, type AgentHooks } from './simulated-agent.js';
import {
  ENROLL_PROGRESS_EVERY,
  type Calls,
  type Method,
  type Params,
  type Result,
  type WorkerMessage,
  type WorkerRequest,
} from './worker-protocol.js';

const ENROLL_TIMEOUT_MS = 120_000;

const { values } = parseArgs({
  options: {
    address: { type: 'string' },
    'ca-file': { type: 'string' },
    'key-pool': { type: 'string', default: '4' },
    'report-acks': { type: 'boolean', default: false },
  },
  strict: true,
});
if (!values.address || !values['ca-file']) throw new Error('agent-worker needs --address and --ca-file');
const address = values.address;
const caPem = readFileSync(values['ca-file'], 'utf8');
const reportAcks = values['report-acks'];

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send) process.send(message, undefined, {}, () => resolve());
    else resolve();
  });
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await task(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

class Worker {
  private readonly identities: AgentIdentity[] = [];
  private readonly agents: SimulatedAgent[] = [];
  private keys: KeyPool | undefined;
  private enrollments = 0;
  private enroller: Enroller | undefined;
  private window: { startedAt: number; rtt: number[]; sent: number; acked: number } | undefined;
  private readonly hooks: AgentHooks = {
    onAck: (agentId, seq, rttMs, sentAt) => {
      if (this.window && sentAt >= this.window.startedAt) {
        this.window.rtt.push(rttMs);
        this.window.acked++;
      }
      if (reportAcks) void send({ kind: 'ack', agentId, seq });
    },
    onHeartbeatSent: () => {
      if (this.window) this.window.sent++;
    },
    onEnded: (agentId, why) => void send({ kind: 'session-ended', agentId, why }),
  };

  readonly handlers: { [M in Method]: (params: Params<M>) => Promise<Result<M>> } = {
    enroll: async ({ agents, inFlight }) => {
      this.keys ??= new KeyPool(Number(values['key-pool']));
      this.enroller ??= new Enroller(address, caPem, this.keys, ENROLL_TIMEOUT_MS);
      const enroller = this.enroller;
      const failed: string[] = [];
      let enrolled = 0;
      await eachLimited(agents, inFlight, async ({ agentId, token }) => {
        try {
          this.identities.push(await enroller.enroll(this.enrollments++, agentId, token));
          if (++enrolled % ENROLL_PROGRESS_EVERY === 0) void send({ kind: 'enroll-progress', done: enrolled });
        } catch (err) {
          failed.push(`${agentId}: ${(err as Error).message}`);
        }
      });
      return { enrolled, failed };
    },
    adopt: ({ identity }) => {
      this.identities.push(identity);
      return Promise.resolve({ agents: this.identities.length });
    },
    connect: async ({ inFlight, timeoutMs }) => {
      const fresh = this.identities.slice(this.agents.length);
      const failed: string[] = [];
      await eachLimited(fresh, inFlight, async (identity) => {
        const agent = new SimulatedAgent(identity, this.agents.length, address, caPem, AGENT_VERSION, this.hooks);
        this.agents.push(agent);
        try {
          await agent.connect(timeoutMs);
        } catch (err) {
          failed.push((err as Error).message);
        }
      });
      return { online: this.online(), failed };
    },
    windowStart: () => {
      this.window = { startedAt: performance.now(), rtt: [], sent: 0, acked: 0 };
      return Promise.resolve({ online: this.online() });
    },
    windowStop: () => {
      const w = this.window ?? { rtt: [], sent: 0, acked: 0 };
      this.window = undefined;
      const now = performance.now();
      const overdue = this.agents.reduce((n, a) => n + a.overdue(now), 0);
      return Promise.resolve({ rttMs: Float64Array.from(w.rtt), sent: w.sent, acked: w.acked, overdue });
    },
    close: () => {
      for (const a of this.agents) a.close();
      this.enroller?.close();
      return Promise.resolve({ closed: this.agents.length });
    },
  };

  private online(): number {
    return this.agents.filter((a) => a.current === 'online').length;
  }

  async handle(request: WorkerRequest): Promise<void> {
    const handler = this.handlers[request.method] as (params: Calls[Method][0]) => Promise<unknown>;
    try {
      const result = await handler(request.params);
      await send({ kind: 'reply', id: request.id, ok: true, result });
    } catch (err) {
      await send({ kind: 'reply', id: request.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    if (request.method === 'close') process.disconnect();
  }
}

if (!process.send) throw new Error('agent-worker runs as a child of bench/fleet/run.js (fork with an IPC channel)');
const worker = new Worker();
process.on('message', (request: WorkerRequest) => void worker.handle(request));
// The parent went away (or asked us to close): nothing is left to drive the sessions.
process.on('disconnect', () => process.exit(0));
