// How the ipmi driver starts ipmitool: in the calling thread (tests, tools) or in one worker
// thread shared by all BMC calls (the coordinator daemon: see ipmitool-worker.ts for why).
import { Worker } from 'node:worker_threads';
import { runIpmitool, type IpmitoolInvocation, type IpmitoolOutcome } from './ipmitool-process.js';
import type { WorkerRequest } from './ipmitool-worker.js';

export type IpmitoolRunner = (invocation: IpmitoolInvocation, signal: AbortSignal) => Promise<IpmitoolOutcome>;

export const inThreadRunner: IpmitoolRunner = runIpmitool;

type WireOutcome = Exclude<IpmitoolOutcome, { type: 'spawn-failed' }> | { type: 'spawn-failed'; message: string; code?: string };

export interface WorkerRunner {
  readonly run: IpmitoolRunner;
  /** Stops the worker; calls still running answer `aborted`. */
  close(): Promise<void>;
}

/**
 * A runner whose processes start in a worker thread, created on first use from the compiled
 * ipmitool-worker.js next to this module. The worker does not keep the process alive while idle;
 * if it dies, its running calls answer spawn-failed and the next call starts a new one.
 */
export function workerRunner(): WorkerRunner {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, (outcome: IpmitoolOutcome) => void>();

  const failAll = (error: Error): void => {
    for (const resolve of pending.values()) resolve({ type: 'spawn-failed', error });
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./ipmitool-worker.js', import.meta.url));
    w.on('message', (message: { id: number; outcome: WireOutcome }) => {
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
      failAll(new Error(`ipmitool worker exited with code ${code}`));
    });
    w.unref();
    return w;
  };

  const run: IpmitoolRunner = (invocation, signal) => {
    if (signal.aborted) return Promise.resolve({ type: 'aborted' });
    worker ??= start();
    const w = worker;
    const id = nextId++;
    const post = (request: WorkerRequest): void => w.postMessage(request);
    return new Promise<IpmitoolOutcome>((resolve) => {
      const onAbort = (): void => post({ type: 'abort', id });
      signal.addEventListener('abort', onAbort, { once: true });
      pending.set(id, (outcome) => {
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
      w.ref();
      post({ type: 'run', id, invocation: { ...invocation, args: [...invocation.args] } });
    });
  };

  return {
    run,
    async close() {
      const w = worker;
      worker = null;
      if (!w) return;
      for (const resolve of pending.values()) resolve({ type: 'aborted' });
      pending.clear();
      await w.terminate();
    },
  };
}
