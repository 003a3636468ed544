// Capped exponential backoff with "equal" jitter: with d = min(cap, base*2^n), delay n is uniform in
// [d/2, d]. Keeping half as a floor spreads a fleet reconnecting after an outage (agents, OVSDB,
// LXD events) or drivers retrying one busy BMC (ipmi, redfish) without hammering.
//
// Like grpc-js's BackoffTimeout, the backoff owns the one timer of the retry it schedules: a
// component cancels it on close and cannot leak it, and two retries are never pending at once.
// The timer is unref'd, so a pending retry never holds a shutting-down process open.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/** A retry waited for as a promise (see Backoff.wait). */
export interface ScheduledWait {
  readonly delayMs: number;
  /** True once the delay has passed; false if the signal fired or the backoff was cancelled first. */
  readonly elapsed: Promise<boolean>;
}

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** Settles a pending wait() when its retry is cancelled. */
  private abandon: (() => void) | undefined;

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Retries scheduled since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** Whether a retry is scheduled and has not run yet. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Schedules `fn` after the next delay (replacing a retry still pending) and returns that delay.
   * Each call counts one attempt: the delays double up to the cap until reset().
   */
  schedule(fn: () => void): number {
    this.cancel();
    const delayMs = this.nextDelay();
    const timer = setTimeout(() => {
      if (this.timer !== timer) return;
      this.timer = undefined;
      this.abandon = undefined;
      fn();
    }, delayMs);
    timer.unref();
    this.timer = timer;
    return delayMs;
  }

  /** schedule() for an async retry loop: waits the next delay unless `signal` fires or cancel() is called first. */
  wait(signal?: AbortSignal): ScheduledWait {
    let settle!: (elapsed: boolean) => void;
    const elapsed = new Promise<boolean>((resolve) => (settle = resolve));
    const delayMs = this.schedule(() => settle(true));
    if (signal?.aborted) {
      this.cancel();
      settle(false);
      return { delayMs, elapsed };
    }
    const onAbort = (): void => this.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.abandon = () => settle(false);
    void elapsed.then(() => signal?.removeEventListener('abort', onAbort));
    return { delayMs, elapsed };
  }

  /** Drops the pending retry, if any: its function never runs (a pending wait resolves false). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const abandon = this.abandon;
    this.abandon = undefined;
    abandon?.();
  }

  /** Starts the delays over from the first (after a success). A pending retry stays scheduled. */
  reset(): void {
    this.attempt = 0;
  }

  private nextDelay(): number {
    const exp = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }
}

/** Waits `ms` (an unref'd timer: a shutdown is never held up by a poll); resolves false instead when `signal` fires first. */
export async function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal, ref: false });
    return true;
  } catch {
    return false;
  }
}
