// How the ipmi driver starts ipmitool: in the calling thread (tests, tools) or in one worker
// thread shared by all BMC calls (the coordinator daemon: see ipmitool-worker.ts for why). Both
// can also keep one long-lived session per BMC (ipmitool-sessions.ts) for chassis commands.
import { Worker } from 'node:worker_threads';
import { runIpmitool, type IpmitoolInvocation, type IpmitoolOutcome } from './ipmitool-process.js';
import type { SessionOutcome } from './ipmitool-session.js';
import { IpmitoolSessions, type SessionRunner } from './ipmitool-sessions.js';
import type { WorkerOptions, WorkerRequest } from './ipmitool-worker.js';

export type IpmitoolRunner = (invocation: IpmitoolInvocation, signal: AbortSignal) => Promise<IpmitoolOutcome>;

export const inThreadRunner: IpmitoolRunner = runIpmitool;

type WireOutcome = Exclude<SessionOutcome, { type: 'spawn-failed' }> | { type: 'spawn-failed'; message: string; code?: string };
type WorkerReply = { id: number; outcome: WireOutcome; sessionsStarted: number } | { id: number; closed: true };

export interface WorkerRunner {
  readonly run: IpmitoolRunner;
  /** A command on the BMC's long-lived session, kept in the worker. */
  readonly runInSession: SessionRunner;
  /** BMC sessions started so far (each one ipmitool and one RMCP+ session setup). */
  readonly sessionsStarted: () => number;
  /** Ends the sessions and stops the worker; calls still running answer `aborted`. */
  close(): Promise<void>;
}

/** Sessions in the calling thread (tests, tools): the same pool the worker keeps. */
export function inThreadSessions(
  idleMs?: number,
  keepAlives?: number,
  mayAct?: () => boolean,
): { readonly run: SessionRunner; readonly pool: IpmitoolSessions; close(): void } {
  const pool = new IpmitoolSessions(idleMs, keepAlives, mayAct);
  return { run: pool.run, pool, close: () => pool.close() };
}

/**
 * A runner whose processes start in a worker thread, created on first use from the compiled
 * ipmitool-worker.js next to this module. The worker does not keep the process alive while idle;
 * if it dies, its running calls answer spawn-failed and the next call starts a new one.
 */
export function workerRunner(options: WorkerOptions = {}): WorkerRunner {
  let worker: Worker | null = null;
  let nextId = 1;
  let sessionsStarted = 0;
  // Sessions started by workers that have since died.
  let sessionsBefore = 0;
  const pending = new Map<number, (outcome: SessionOutcome) => void>();
  const closing = new Map<number, () => void>();

  const failAll = (error: Error): void => {
    for (const resolve of pending.values()) resolve({ type: 'spawn-failed', error });
    pending.clear();
    for (const resolve of closing.values()) resolve();
    closing.clear();
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./ipmitool-worker.js', import.meta.url), { workerData: options });
    w.on('message', (message: WorkerReply) => {
      if ('closed' in message) {
        closing.get(message.id)?.();
        closing.delete(message.id);
        return;
      }
      sessionsStarted = sessionsBefore + message.sessionsStarted;
      const resolve = pending.get(message.id);
      if (!resolve) return;
      pending.delete(message.id);
      if (pending.size === 0) w.unref();
      const { outcome } = message;
      if (outcome.type !== 'spawn-failed') return resolve(outcome);
      resolve({ type: 'spawn-failed', error: Object.assign(new Error(outcome.message), { code: outcome.code }) });
    });
    w.on('error', (error) => failAll(new Error(`ipmitool worker failed: ${error.message}`)));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      sessionsBefore = sessionsStarted;
      failAll(new Error(`ipmitool worker exited with code ${code}`));
    });
    w.unref();
    return w;
  };

  const send = (request: (id: number) => WorkerRequest, signal: AbortSignal): Promise<SessionOutcome> => {
    if (signal.aborted) return Promise.resolve({ type: 'aborted' });
    worker ??= start();
    const w = worker;
    const id = nextId++;
    return new Promise<SessionOutcome>((resolve) => {
      const onAbort = (): void => w.postMessage({ type: 'abort', id } satisfies WorkerRequest);
      signal.addEventListener('abort', onAbort, { once: true });
      pending.set(id, (outcome) => {
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
      w.ref();
      w.postMessage(request(id));
    });
  };

  return {
    run: (invocation, signal) =>
      send((id) => ({ type: 'run', id, invocation: { ...invocation, args: [...invocation.args] } }), signal) as Promise<IpmitoolOutcome>,
    runInSession: (request, signal) =>
      send((id) => ({ type: 'session-run', id, request: { ...request, args: [...request.args], command: [...request.command] } }), signal),
    sessionsStarted: () => sessionsStarted,
    async close() {
      const w = worker;
      worker = null;
      if (!w) return;
      for (const resolve of pending.values()) resolve({ type: 'aborted' });
      pending.clear();
      const id = nextId++;
      const told = new Promise<void>((resolve) => closing.set(id, resolve));
      w.ref();
      w.postMessage({ type: 'close', id } satisfies WorkerRequest);
      // Bounded: a wedged worker is terminated anyway (its sessions' input then ends with it).
      await Promise.race([told, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await w.terminate();
    },
  };
}
