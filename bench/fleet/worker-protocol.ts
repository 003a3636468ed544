// How run.ts drives an agent worker (agent-worker.ts), a child process holding many simulated
// agents: requests with ids over the fork() IPC channel, each answered once by a reply with the
// same id; notices flow from the worker unasked. Typed descriptors: Calls maps each method to its
// params and result.

import type { AgentIdentity } from './identity.js';

export interface WindowStats {
  /** Heartbeat -> heartbeatAck round trips within the window, ms. */
  readonly rttMs: Float64Array;
  /** Heartbeats written in the window, and how many of those were acknowledged within it. */
  readonly sent: number;
  readonly acked: number;
  /** At the window's end, heartbeats unanswered for longer than one interval. */
  readonly overdue: number;
}

export interface Calls {
  /** Creates a CSR per agent and enrolls it with its token; the worker keeps the identities. */
  enroll: [{ agents: { agentId: string; token: string }[]; inFlight: number }, { enrolled: number; failed: string[] }];
  /** Takes an identity enrolled elsewhere (the probe agent keeps its identity across workers). */
  adopt: [{ identity: AgentIdentity }, { agents: number }];
  /** Opens the session of every agent not yet connected; resolves when each has its welcome. */
  connect: [{ inFlight: number; timeoutMs: number }, { online: number; failed: string[] }];
  windowStart: [Record<string, never>, { online: number }];
  windowStop: [Record<string, never>, WindowStats];
  /** Cancels every session and closes every channel; the worker exits after answering. */
  close: [Record<string, never>, { closed: number }];
}

export type Method = keyof Calls;
export type Params<M extends Method> = Calls[M][0];
export type Result<M extends Method> = Calls[M][1];

export type WorkerRequest = { [M in Method]: { id: number; method: M; params: Params<M> } }[Method];

export type WorkerReply =
  { kind: 'reply'; id: number; ok: true; result: unknown } | { kind: 'reply'; id: number; ok: false; error: string };

export type WorkerNotice =
  /** Sent only by a worker started with --report-acks (the probe): a heartbeat was just acknowledged. */
  | { kind: 'ack'; agentId: string; seq: number }
  | { kind: 'session-ended'; agentId: string; why: string }
  /** Every ENROLL_PROGRESS_EVERY enrollments: how many this worker has done in the current request. */
  | { kind: 'enroll-progress'; done: number };

export const ENROLL_PROGRESS_EVERY = 250;

export type WorkerMessage = WorkerReply | WorkerNotice;
