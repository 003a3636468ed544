// Capped exponential backoff with "equal" jitter: with d = min(cap, base*2^n), delay n is uniform in
// [d/2, d]. Keeping half as a floor spreads a fleet reconnecting after an outage (agents, OVSDB,
// LXD events) or drivers retrying one busy BMC (ipmi, redfish) without hammering.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt, and counts it. */
  next(): number {
    const exp = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Waits `ms` (an unref'd timer: a shutdown is never held up by a retry); resolves false instead when `signal` fires first. */
export async function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal, ref: false });
    return true;
  } catch {
    return false;
  }
}
