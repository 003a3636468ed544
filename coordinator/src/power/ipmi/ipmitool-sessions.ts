// Long-lived ipmitool sessions, at most one per BMC identity (ipmitool path, session arguments and
// password): commands for one BMC run one at a time, in the order they came, on its session; a
// session that has ended (idle time, a failed command, a killed process) is replaced by a fresh
// one for the next command. The password is part of the identity (as a digest): a changed
// password gets a new session, and the old one ends when idle.
import { createHash } from 'node:crypto';
import { IpmitoolSession, type SessionInvocation, type SessionOutcome } from './ipmitool-session.js';
import type { Spawn } from './process-launcher.js';

export interface SessionCommand extends SessionInvocation {
  readonly command: readonly string[];
  /** Bound on the command once it is written (session setup included when it opens the session). */
  readonly timeoutMs: number;
}

export type SessionRunner = (request: SessionCommand, signal: AbortSignal) => Promise<SessionOutcome>;

/**
 * How long a session waits without a command before it sends a keep-alive (or ends). Under the BMC's
 * own session inactivity timeout (IPMI v2.0 section 6.12.15: 60 s unless configured; ipmi_sim's is
 * shorter: a keep-alive sent after 30 s idle found its session closed, one after 20 s did not), so
 * an idle session is kept or ended by us before the BMC forgets it and a command never meets a dead
 * session.
 */
export const DEFAULT_SESSION_IDLE_MS = 20_000;

/**
 * Keep-alive reads an idle session sends, one per idle period, before it ends (ipmitool-session.ts):
 * an unused session ends after 80 s, and a deploy's wait for its smartNIC agents (tens of seconds
 * when a fleet boots at once) does not cost it a second session setup.
 */
export const DEFAULT_SESSION_KEEP_ALIVES = 3;

interface Bmc {
  session: IpmitoolSession | null;
  /** The last queued command's completion: the next one starts after it. */
  tail: Promise<unknown>;
  queued: number;
}

export class IpmitoolSessions {
  private readonly bmcs = new Map<string, Bmc>();
  private closed = false;
  /** Sessions started so far (each is one ipmitool process and one RMCP+ session setup). */
  sessionsStarted = 0;

  constructor(
    private readonly idleMs: number = DEFAULT_SESSION_IDLE_MS,
    private readonly keepAlives: number = DEFAULT_SESSION_KEEP_ALIVES,
    /** Whether the coordinator may still call a BMC (ha/act-deadline.ts): asked before every command and keep-alive. */
    private readonly mayAct: () => boolean = () => true,
    /** How sessions start (the worker passes its process launcher's); by default, from this process. */
    private readonly spawn?: Spawn,
  ) {}

  readonly run: SessionRunner = (request, signal) => {
    if (this.closed) return Promise.resolve({ type: 'aborted' });
    const key = identity(request);
    let bmc = this.bmcs.get(key);
    if (!bmc) {
      bmc = { session: null, tail: Promise.resolve(), queued: 0 };
      this.bmcs.set(key, bmc);
    }
    const entry = bmc;
    entry.queued++;
    const result = entry.tail.then(() => this.runOn(key, entry, request, signal));
    // A failed command must not fail the ones queued behind it.
    entry.tail = result
      .catch(() => undefined)
      .finally(() => {
        entry.queued--;
        if (entry.queued === 0 && entry.session === null && this.bmcs.get(key) === entry) this.bmcs.delete(key);
      });
    return result;
  };

  /** Ends every session; commands still queued answer `aborted`. */
  close(): void {
    this.closed = true;
    for (const bmc of this.bmcs.values()) bmc.session?.close('the power driver closed');
  }

  /** Sessions up now (tests and metrics). */
  get open(): number {
    let n = 0;
    for (const bmc of this.bmcs.values()) if (bmc.session && !bmc.session.ended) n++;
    return n;
  }

  private async runOn(key: string, bmc: Bmc, request: SessionCommand, signal: AbortSignal): Promise<SessionOutcome> {
    if (this.closed || signal.aborted) return { type: 'aborted' };
    if (!this.mayAct()) return refusedOutcome();
    if (!bmc.session || bmc.session.ended) {
      this.sessionsStarted++;
      const session = IpmitoolSession.start(request, {
        idleMs: this.idleMs,
        keepAlives: this.keepAlives,
        mayAct: this.mayAct,
        ...(this.spawn ? { spawn: this.spawn } : {}),
        onEnded: (ended) => {
          if (bmc.session !== ended) return;
          bmc.session = null;
          if (bmc.queued === 0 && this.bmcs.get(key) === bmc) this.bmcs.delete(key);
        },
      });
      bmc.session = session;
    }
    return bmc.session.run(request.command, request.timeoutMs, signal);
  }
}

/** What a command gets once the coordinator may no longer act: it never reaches the BMC. */
export function refusedOutcome(): { type: 'refused'; reason: string } {
  return { type: 'refused', reason: 'this coordinator may no longer act (its lease ran out), so it calls no BMC' };
}

function identity(request: SessionInvocation): string {
  const password = createHash('sha256').update(request.password).digest('base64');
  return JSON.stringify([request.path, request.args, password]);
}
