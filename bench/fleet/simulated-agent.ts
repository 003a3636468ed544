// A simulation of one agent's coordinator session (agent/src/link/coordinator-link.ts), without
// OVS, inventory collection or reconnects: its own mTLS client certificate and its own TCP
// connection, hello with a fixed smartNIC inventory, then a heartbeat every interval the welcome
// names, timing each heartbeat -> heartbeatAck round trip. A session that ends is reported, not
// reconnected: in the benchmark that is a failure to count.

import * as grpc from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import { loadMooringProto } from '../../proto/loader.js';
import type { AgentMessage, AgentServiceClient, CoordinatorMessage__Output, Inventory__Output } from '../../proto/generated/index.js';
import type { AgentIdentity } from './identity.js';

export type AgentState = 'idle' | 'connecting' | 'online' | 'ended';

export interface AgentHooks {
  /** A heartbeat written at `sentAt` (performance.now()) was acknowledged, `rttMs` later. */
  onAck(agentId: string, seq: number, rttMs: number, sentAt: number): void;
  onHeartbeatSent(agentId: string): void;
  /** The session ended without close() (the coordinator ended it, or the connection broke). */
  onEnded(agentId: string, why: string): void;
}

type SessionStream = grpc.ClientDuplexStream<AgentMessage, CoordinatorMessage__Output>;

/** What the benchmark's agents report as their hardware: a BlueField-2 class smartNIC. */
export function simulatedInventory(agentId: string, n: number): Inventory__Output {
  const mac = (port: number): string =>
    `02:${[n >> 16, n >> 8, n, port].map((b) => (b & 0xff).toString(16).padStart(2, '0')).join(':')}:00`;
  return {
    cpuModel: 'Cortex-A72',
    coresPhysical: 8,
    coresLogical: 8,
    memoryBytes: 16 * 1024 ** 3,
    os: 'Ubuntu 22.04 (jammy)',
    kernel: '5.15.0-1035-bluefield',
    interfaces: [
      { name: 'p0', mac: mac(0), speedMbps: 100_000, driver: 'mlx5_core', pciAddress: '0000:03:00.0', state: 'up' },
      { name: 'p1', mac: mac(1), speedMbps: 100_000, driver: 'mlx5_core', pciAddress: '0000:03:00.1', state: 'up' },
      { name: 'pf0hpf', mac: mac(2), speedMbps: 0, driver: 'mlx5_core', pciAddress: '', state: 'up' },
      { name: 'oob_net0', mac: mac(3), speedMbps: 1000, driver: 'mlxbf_gige', pciAddress: '', state: 'up' },
    ],
    ovsVersion: '3.1.0',
    bridges: ['br-int'],
    role: 'smartnic',
    hostname: agentId,
    errors: [],
  };
}

export class SimulatedAgent {
  private state: AgentState = 'idle';
  private client: AgentServiceClient | undefined;
  private stream: SessionStream | undefined;
  private phaseTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private intervalMs = 0;
  /** performance.now() at which each unacknowledged heartbeat was written, by seq. */
  private readonly inFlight = new Map<number, number>();
  epoch = 0;

  constructor(
    readonly identity: AgentIdentity,
    private readonly n: number,
    private readonly address: string,
    private readonly caPem: string,
    private readonly version: string,
    private readonly hooks: AgentHooks,
  ) {}

  get current(): AgentState {
    return this.state;
  }

  private transition(from: readonly AgentState[], to: AgentState): void {
    if (!from.includes(this.state)) throw new Error(`agent ${this.identity.agentId}: cannot go ${this.state} -> ${to}`);
    this.state = to;
  }

  /** Opens the session and resolves with the epoch of the welcome. */
  connect(timeoutMs: number): Promise<number> {
    this.transition(['idle'], 'connecting');
    const Ctor = loadMooringProto().client('AgentService');
    // A credentials object and a subchannel pool of its own: grpc-js would otherwise share one
    // connection among channels with equal target, options and credentials.
    const creds = grpc.credentials.createSsl(
      Buffer.from(this.caPem),
      Buffer.from(this.identity.keyPem),
      Buffer.from(this.identity.certPem),
    );
    this.client = new Ctor(this.address, creds, { 'grpc.use_local_subchannel_pool': 1 });
    const stream = this.client.Session(new grpc.Metadata(), {});
    this.stream = stream;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no welcome within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string): void => {
        clearTimeout(timer);
        if (this.state === 'connecting') {
          this.shutdown();
          reject(new Error(`${this.identity.agentId}: ${why}`));
        } else if (this.state === 'online') {
          this.shutdown();
          this.hooks.onEnded(this.identity.agentId, why);
        }
      };
      stream.on('data', (m: CoordinatorMessage__Output) => {
        if (m.heartbeatAck) {
          const sentAt = this.inFlight.get(m.heartbeatAck.seq);
          if (sentAt === undefined) return;
          this.inFlight.delete(m.heartbeatAck.seq);
          this.hooks.onAck(this.identity.agentId, m.heartbeatAck.seq, performance.now() - sentAt, sentAt);
        } else if (m.welcome && this.state === 'connecting') {
          clearTimeout(timer);
          this.transition(['connecting'], 'online');
          this.epoch = m.welcome.epoch;
          this.startHeartbeats(m.welcome.heartbeatIntervalMs);
          resolve(m.welcome.epoch);
        }
      });
      stream.on('error', (err: grpc.ServiceError) =>
        fail(`session error: ${grpc.status[err.code] ?? err.code} ${err.details || err.message}`),
      );
      stream.on('end', () => fail('the coordinator ended the session'));
      stream.write({
        hello: {
          agentId: this.identity.agentId,
          version: this.version,
          role: 'smartnic',
          inventory: simulatedInventory(this.identity.agentId, this.n),
          report: null,
        },
      });
    });
  }

  /**
   * Heartbeats every interval, the first after a random part of it: a real fleet's agents started
   * at unrelated times, so their heartbeats spread over the interval instead of arriving in step.
   */
  private startHeartbeats(intervalMs: number): void {
    this.intervalMs = intervalMs;
    this.phaseTimer = setTimeout(() => {
      this.beat();
      this.heartbeatTimer = setInterval(() => this.beat(), intervalMs);
    }, Math.random() * intervalMs);
  }

  private beat(): void {
    if (this.state !== 'online' || !this.stream) return;
    const seq = ++this.seq;
    this.inFlight.set(seq, performance.now());
    // Any heartbeat unanswered for long is counted by the worker, not kept here forever.
    if (this.inFlight.size > 16) this.inFlight.delete(this.inFlight.keys().next().value!);
    this.stream.write({ heartbeat: { seq } });
    this.hooks.onHeartbeatSent(this.identity.agentId);
  }

  /** Heartbeats unanswered for longer than one interval (none while the coordinator keeps up). */
  overdue(now: number): number {
    let n = 0;
    for (const sentAt of this.inFlight.values()) if (now - sentAt > this.intervalMs) n++;
    return n;
  }

  /** Ends the session from our side (cancel: what a stopping agent's grpc-js client does). */
  close(): void {
    if (this.state === 'ended') return;
    this.shutdown();
  }

  private shutdown(): void {
    this.state = 'ended';
    clearTimeout(this.phaseTimer);
    clearInterval(this.heartbeatTimer);
    this.inFlight.clear();
    this.stream?.cancel();
    this.stream = undefined;
    this.client?.close();
  }
}
