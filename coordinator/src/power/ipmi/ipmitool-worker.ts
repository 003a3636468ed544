// The worker thread that runs ipmitool processes for the coordinator: the long-lived BMC sessions
// (ipmitool-sessions.ts) live here, with their pipes and reply parsing, off the coordinator's event
// loop, where every other sequence's waits are resolved. The processes themselves are started by
// the process launcher (process-launcher-main.ts), a small process this worker forks once: starting
// a child from here would fork the whole coordinator each time, a cost that grows with its memory.
// Messages: { type: 'run', id, invocation } (one ipmitool process) and { type: 'session-run', id,
// request } (a command on the BMC's session), each answered by { id, outcome }; { type: 'abort',
// id } kills that run; { type: 'close', id } ends every session and is answered once they are told
// to end.
import { parentPort, workerData } from 'node:worker_threads';
import { runIpmitool, type IpmitoolInvocation, type IpmitoolOutcome } from './ipmitool-process.js';
import type { SessionOutcome } from './ipmitool-session.js';
import { ActDeadline } from '../../ha/act-deadline.js';
import { ProcessLauncher } from './process-launcher.js';
import {
  DEFAULT_SESSION_IDLE_MS,
  DEFAULT_SESSION_KEEP_ALIVES,
  IpmitoolSessions,
  refusedOutcome,
  type SessionCommand,
} from './ipmitool-sessions.js';

export type WorkerRequest =
  | { type: 'run'; id: number; invocation: IpmitoolInvocation }
  | { type: 'session-run'; id: number; request: SessionCommand }
  | { type: 'abort'; id: number }
  | { type: 'close'; id: number };

export interface WorkerOptions {
  readonly sessionIdleMs?: number;
  readonly sessionKeepAlives?: number;
  /** The coordinator's lease deadline (ha/act-deadline.ts): past it, no command or keep-alive reaches a BMC. */
  readonly actUntil?: SharedArrayBuffer;
}

const running = new Map<number, AbortController>();
const options = workerData as WorkerOptions | undefined;
const deadline = options?.actUntil ? ActDeadline.open(options.actUntil) : null;
const mayAct = (): boolean => deadline?.allows() ?? true;
// Every process starts from the launcher, never by forking the coordinator (process-launcher-main.ts).
const launcher = new ProcessLauncher();
const sessions = new IpmitoolSessions(
  options?.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
  options?.sessionKeepAlives ?? DEFAULT_SESSION_KEEP_ALIVES,
  mayAct,
  launcher.spawn,
);

function answer(id: number, outcome: IpmitoolOutcome | SessionOutcome): void {
  running.delete(id);
  // An Error does not survive structured cloning with its class; send what the caller reports.
  const wire =
    outcome.type === 'spawn-failed'
      ? { type: 'spawn-failed', message: outcome.error.message, code: (outcome.error as NodeJS.ErrnoException).code }
      : outcome;
  parentPort?.postMessage({ id, outcome: wire, sessionsStarted: sessions.sessionsStarted });
}

parentPort?.on('message', (request: WorkerRequest) => {
  if (request.type === 'abort') {
    running.get(request.id)?.abort();
    return;
  }
  if (request.type === 'close') {
    sessions.close();
    parentPort?.postMessage({ id: request.id, closed: true });
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const outcome =
    request.type === 'session-run'
      ? sessions.run(request.request, controller.signal)
      : mayAct()
        ? runIpmitool(request.invocation, controller.signal, launcher.spawn)
        : Promise.resolve(refusedOutcome());
  void outcome.then((o) => answer(request.id, o));
});
