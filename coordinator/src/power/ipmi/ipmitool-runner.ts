// How the ipmi driver starts ipmitool: from the calling process (tests, tools), or through the
// process launcher (the coordinator daemon: process-launcher-main.ts says why). Both can keep one
// long-lived session per BMC (ipmitool-sessions.ts) for chassis commands.
import { runIpmitool, type IpmitoolInvocation, type IpmitoolOutcome } from './ipmitool-process.js';
import { IpmitoolSessions, refusedOutcome, type SessionRunner } from './ipmitool-sessions.js';
import { ProcessLauncher } from './process-launcher.js';

export type IpmitoolRunner = (invocation: IpmitoolInvocation, signal: AbortSignal) => Promise<IpmitoolOutcome>;

export const inThreadRunner: IpmitoolRunner = runIpmitool;

export interface LauncherRunnerOptions {
  readonly sessionIdleMs?: number;
  readonly sessionKeepAlives?: number;
  readonly mayAct?: () => boolean;
}

export interface LauncherRunner {
  readonly run: IpmitoolRunner;
  /** A command on the BMC's long-lived session. */
  readonly runInSession: SessionRunner;
  /** BMC sessions started so far (each one ipmitool and one RMCP+ session setup). */
  readonly sessionsStarted: () => number;
  /** Ends the sessions; commands still queued answer `aborted`. */
  close(): Promise<void>;
}

/** Sessions started from the calling process (tests, tools): the same pool the daemon keeps. */
export function inThreadSessions(
  idleMs?: number,
  keepAlives?: number,
  mayAct?: () => boolean,
): { readonly run: SessionRunner; readonly pool: IpmitoolSessions; close(): void } {
  const pool = new IpmitoolSessions(idleMs, keepAlives, mayAct);
  return { run: pool.run, pool, close: () => pool.close() };
}

/**
 * The coordinator daemon's runner: sessions and one-shot runs in the calling thread, their processes
 * started by the process launcher, so the coordinator never forks itself. `mayAct` (its lease:
 * ha/act-deadline.ts) is asked before every run, and by a session before every command and keep-alive.
 */
export function launcherRunner(options: LauncherRunnerOptions = {}): LauncherRunner {
  const launcher = new ProcessLauncher();
  const mayAct = options.mayAct ?? ((): boolean => true);
  const pool = new IpmitoolSessions(options.sessionIdleMs, options.sessionKeepAlives, mayAct, launcher.spawn);
  return {
    run: (invocation, signal) => (mayAct() ? runIpmitool(invocation, signal, launcher.spawn) : Promise.resolve(refusedOutcome())),
    runInSession: pool.run,
    sessionsStarted: () => pool.sessionsStarted,
    close: () => Promise.resolve(pool.close()),
  };
}
