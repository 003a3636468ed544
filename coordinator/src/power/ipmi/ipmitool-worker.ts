// The worker thread that starts ipmitool processes for the coordinator. Starting a child process
// blocks the calling thread for the fork and exec (milliseconds on a busy host); done here, a
// fleet's BMC calls no longer stall the coordinator's event loop, where every other sequence's
// waits are resolved. Messages: { type: 'run', id, invocation } answered by { id, outcome };
// { type: 'abort', id } kills that run.
import { parentPort } from 'node:worker_threads';
import { runIpmitool, type IpmitoolInvocation } from './ipmitool-process.js';

export type WorkerRequest = { type: 'run'; id: number; invocation: IpmitoolInvocation } | { type: 'abort'; id: number };

const running = new Map<number, AbortController>();

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'abort') {
    running.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  void runIpmitool(request.invocation, controller.signal).then((outcome) => {
    running.delete(request.id);
    // An Error does not survive structured cloning with its class; send what the caller reports.
    const wire =
      outcome.type === 'spawn-failed'
        ? { type: 'spawn-failed', message: outcome.error.message, code: (outcome.error as NodeJS.ErrnoException).code }
        : outcome;
    parentPort?.postMessage({ id: request.id, outcome: wire });
  });
});
