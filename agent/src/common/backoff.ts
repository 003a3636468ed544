// Capped exponential backoff with full jitter: delay n is uniform in [base*2^n / 2, min(cap, base*2^n)].
// Half-jitter keeps a floor so a fleet reconnecting after an outage spreads out without hammering.

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
