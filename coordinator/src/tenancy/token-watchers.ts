// Long-lived calls (WatchEvents) opened with an API token, each ended the moment that token stops
// being valid. Three things end a token: a revocation and the removal of its user, both learnt
// from the event log (token.revoked, user.*), and its expiry, learnt from a timer armed for the
// earliest expiry among the watched tokens and, once the clock says that expiry has come, from
// the next event, so a clock that is not the wall clock (tests' ManualClock) is honoured too.
import type { Clock } from '../clock.js';
import type { CoordinatorEvent } from '../events/event-log.js';
import { UnauthenticatedError } from './errors.js';

export interface WatchedToken {
  readonly id: string;
  readonly user: string;
  readonly expiresAt: number | null;
}

interface Watch {
  readonly token: WatchedToken;
  readonly onInvalid: (error: UnauthenticatedError) => void;
}

/** Why a stored token no longer admits its holder, or null while it still does. */
export type TokenCheck = (id: string) => UnauthenticatedError | null;

/** Longest single timer wait: setTimeout's limit is 2^31-1 ms; a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class TokenWatchers {
  private readonly watches = new Set<Watch>();
  private timer: NodeJS.Timeout | null = null;
  /** The earliest expiry among the watched tokens (Infinity: none), which the timer is armed for. */
  private timerDue = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly check: TokenCheck,
  ) {}

  /** Calls `onInvalid` once when `token` stops being valid; the returned function stops watching. */
  add(token: WatchedToken, onInvalid: (error: UnauthenticatedError) => void): () => void {
    const watch: Watch = { token, onInvalid };
    this.watches.add(watch);
    this.arm();
    return () => {
      if (this.watches.delete(watch) && this.watches.size === 0) this.disarm();
    };
  }

  /** How many calls are being watched. */
  size(): number {
    return this.watches.size;
  }

  /** Every committed event: re-checks the tokens it may have ended, and sweeps expired ones. */
  onEvent(event: CoordinatorEvent): void {
    if (this.watches.size === 0) return;
    const token = event.kind === 'token.revoked' ? event.details['token'] : undefined;
    const user = event.kind.startsWith('user.') ? event.details['user'] : undefined;
    if (token !== undefined || user !== undefined) {
      for (const watch of [...this.watches]) {
        if (watch.token.id !== token && watch.token.user !== user) continue;
        const problem = this.check(watch.token.id);
        if (problem) this.end(watch, problem);
      }
    }
    // Only when the earliest expiry has come by the clock: events are many, expiries rare.
    if (this.clock.now() >= this.timerDue) this.sweep();
  }

  /** Ends every watch whose token has expired by the clock's time; re-arms for the next expiry. */
  private sweep(): void {
    const now = this.clock.now();
    for (const watch of [...this.watches]) {
      if (watch.token.expiresAt !== null && watch.token.expiresAt <= now) this.end(watch, new UnauthenticatedError('token expired'));
    }
    this.arm();
  }

  private end(watch: Watch, error: UnauthenticatedError): void {
    if (!this.watches.delete(watch)) return;
    watch.onInvalid(error);
  }

  /** (Re)arms the timer for the earliest expiry among the watched tokens. */
  private arm(): void {
    let due = Infinity;
    for (const { token } of this.watches) if (token.expiresAt !== null && token.expiresAt < due) due = token.expiresAt;
    if (due === this.timerDue) return;
    this.disarm();
    if (due === Infinity) return;
    this.timerDue = due;
    const wait = Math.min(Math.max(due - this.clock.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity; // so that sweep() re-arms even for the same expiry (a slow clock)
      this.sweep();
    }, wait);
    // A pending expiry never holds the process up at shutdown.
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
  }
}
