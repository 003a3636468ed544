// Capped exponential backoff with "equal" jitter: with d = min(cap, base*2^n), delay n is uniform in
// [d/2, d]. Keeping half as a floor spreads a fleet reconnecting after an outage without hammering.

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
