// What the benchmark asks the coordinator, as its bootstrap admin, through the public API:
// enrollment tokens (CreateEnrollmentToken), agent states (ListAgents, GetAgent) and agent.offline
// events (WatchEvents). ListAgents of a large fleet outgrows grpc-js's default 4 MiB receive limit,
// so the state count uses a stub with a larger limit; the default client's answer is reported too.

import * as grpc from '@grpc/grpc-js';
import { loadMooringProto } from '../../proto/loader.js';
import type { AgentAdminServiceClient, AgentInfo__Output, Event__Output } from '../../proto/generated/index.js';
import { CoordinatorClient, isServiceError, statusName } from '../../coordinator/src/client/coordinator-client.js';

const LIST_LIMIT_BYTES = 512 * 1024 * 1024;

export interface AgentCounts {
  total: number;
  online: number;
  ms: number;
}

export interface OfflineWatch {
  /** Resolves with Date.now() when the agent.offline event of the agent arrived, and the event. */
  readonly offline: Promise<{ observedAt: number; event: Event__Output }>;
  cancel(): void;
}

export class CoordinatorView {
  private readonly client: CoordinatorClient;
  private readonly listStub: AgentAdminServiceClient;
  private readonly metadata = new grpc.Metadata();

  constructor(address: string, caPem: string, adminToken: string) {
    this.client = new CoordinatorClient({ address, caPem, token: adminToken, timeoutMs: 60_000 });
    const Ctor = loadMooringProto().client('AgentAdminService');
    this.listStub = new Ctor(address, grpc.credentials.createSsl(Buffer.from(caPem)), {
      'grpc.max_receive_message_length': LIST_LIMIT_BYTES,
      'grpc.use_local_subchannel_pool': 1,
    });
    this.metadata.set('authorization', `Bearer ${adminToken}`);
  }

  /** One single-use enrollment token per name, `inFlight` requests at a time. */
  async createTokens(names: readonly string[], inFlight: number): Promise<{ agentId: string; token: string }[]> {
    const out: { agentId: string; token: string }[] = new Array(names.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let i = next++; i < names.length; i = next++) {
        const res = await this.client.call('AgentAdminService', 'CreateEnrollmentToken', {
          name: names[i]!,
          role: 'smartnic',
          ttlSeconds: 4 * 3600,
        });
        out[i] = { agentId: names[i]!, token: res.token };
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, names.length) }, lane));
    return out;
  }

  /** ListAgents through a stub whose receive limit fits the fleet. */
  async agentCounts(timeoutMs = 60_000): Promise<AgentCounts> {
    const started = performance.now();
    const res = await new Promise<{ agents: AgentInfo__Output[] }>((resolve, reject) =>
      this.listStub.ListAgents({}, this.metadata.clone(), { deadline: Date.now() + timeoutMs }, (err, r) =>
        err || !r ? reject(err ?? new Error('no response')) : resolve(r),
      ),
    );
    const ms = performance.now() - started;
    return { total: res.agents.length, online: res.agents.filter((a) => a.state === 'ONLINE').length, ms };
  }

  /** What ListAgents gives a client with grpc-js defaults (moorctl agent list): "ok" or the status. */
  async defaultClientList(): Promise<string> {
    try {
      const res = await this.client.call('AgentAdminService', 'ListAgents', {});
      return `ok (${res.agents.length} agents)`;
    } catch (err) {
      if (isServiceError(err)) return `${statusName(err.code)}: ${err.details}`;
      throw err;
    }
  }

  getAgent(name: string): Promise<AgentInfo__Output> {
    return this.client.call('AgentAdminService', 'GetAgent', { name });
  }

  /**
   * Watches for the agent.offline event of `agentId`, from the newest event on. Resolves once
   * the watch is open; call it before the agent is killed.
   */
  async watchOffline(agentId: string, timeoutMs: number): Promise<OfflineWatch> {
    const { lastSeq } = await this.client.call('EventService', 'ListEvents', { limit: 1 });
    const { events, cancel } = this.client.watchEvents({ sinceSeq: lastSeq });
    let timer: NodeJS.Timeout | undefined;
    const offline = new Promise<{ observedAt: number; event: Event__Output }>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no agent.offline event for ${agentId} within ${timeoutMs} ms`)), timeoutMs);
      void (async () => {
        try {
          for await (const event of events) {
            if (event.kind === 'agent.offline' && event.details['agent'] === agentId) {
              resolve({ observedAt: Date.now(), event });
              return;
            }
          }
          reject(new Error('the event watch ended'));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      })();
    });
    const settled = offline.finally(() => {
      clearTimeout(timer);
      cancel();
    });
    // The caller awaits `offline`; the cleanup chain must not surface as an unhandled rejection.
    settled.catch(() => undefined);
    return { offline, cancel: () => (clearTimeout(timer), cancel()) };
  }

  close(): void {
    this.client.close();
    this.listStub.close();
  }
}
