// Console sign-in sessions, in memory: a random session id (the cookie) standing for a bearer token
// (kept here only, never sent back, never logged), a CSRF token, and an expiry. A session ends at
// its expiry, when its holder signs out, when the coordinator stops, and the moment its token
// stops admitting anyone: revoked, expired, or its user deleted (ApiTokens.watch, the same
// watchers that end gRPC event streams). Ending a session aborts its signal, which closes the
// event streams opened under it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { ApiTokens } from '../tenancy/api-tokens.js';

/** How long a sign-in lasts (the cookie's Max-Age): a working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Sessions held at once; past it the oldest is ended (each needs a valid token to create). */
export const MAX_SESSIONS = 10_000;
/** How often ended-by-expiry sessions are swept out (a lookup also refuses an expired one). */
const SWEEP_INTERVAL_MS = 60_000;

export interface ConsoleSession {
  readonly id: string;
  /** The bearer token every call of this session is made with. */
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
  /** Aborted when the session ends, with the reason as its reason. */
  readonly ended: AbortSignal;
}

interface Held extends ConsoleSession {
  readonly abort: AbortController;
  readonly unwatch: () => void;
}

export interface ConsoleSessionsDeps {
  readonly tokens: Pick<ApiTokens, 'watch'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ttlMs?: number;
  readonly maxSessions?: number;
}

/** A short, non-secret name for a session in logs (the id itself is a credential). */
function logName(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}

export class ConsoleSessions {
  /** In creation order (a Map iterates in insertion order): the first is the oldest. */
  private readonly sessions = new Map<string, Held>();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly ttlMs: number;
  private readonly maxSessions: number;
  private readonly log: Logger;

  constructor(private readonly deps: ConsoleSessionsDeps) {
    this.ttlMs = deps.ttlMs ?? SESSION_TTL_MS;
    this.maxSessions = deps.maxSessions ?? MAX_SESSIONS;
    this.log = deps.logger.child({ component: 'console-sessions' });
  }

  start(): void {
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  /**
   * A new session for `token` (already authenticated by the caller) of `user`. Throws what
   * ApiTokens.watch throws when the token went away in between.
   */
  create(token: string, user: string): ConsoleSession {
    const id = randomBytes(32).toString('base64url');
    const abort = new AbortController();
    const unwatch = this.deps.tokens.watch(token, (error) => this.end(id, error.message));
    const session: Held = {
      id,
      token,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: this.deps.clock.now() + this.ttlMs,
      ended: abort.signal,
      abort,
      unwatch,
    };
    this.sessions.set(id, session);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.end(oldest, 'too many console sessions: the oldest is ended');
    }
    this.log.info({ session: logName(id), user }, 'console session started');
    return session;
  }

  /** The live session with this id, or null (unknown, ended or expired). */
  get(id: string | undefined): ConsoleSession | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.deps.clock.now()) {
      this.end(id, 'session expired');
      return null;
    }
    return session;
  }

  /** Seconds until `session` expires (a cookie's Max-Age), at least 1. */
  maxAgeSeconds(session: ConsoleSession): number {
    return Math.max(1, Math.floor((session.expiresAt - this.deps.clock.now()) / 1000));
  }

  /** Whether `given` is the session's CSRF token (compared in constant time). */
  static csrfMatches(session: ConsoleSession, given: string | undefined): boolean {
    if (!given) return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Ends a session (signs out, or its token ended); nothing when it is already over. */
  end(id: string, why: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    session.unwatch();
    session.abort.abort(why);
    this.log.info({ session: logName(id), why }, 'console session ended');
  }

  /** Sessions held now. */
  size(): number {
    return this.sessions.size;
  }

  /** Ends every session (the coordinator stops). */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const id of [...this.sessions.keys()]) this.end(id, 'the coordinator is stopping');
  }

  private sweep(): void {
    const now = this.deps.clock.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.end(id, 'session expired');
  }
}
