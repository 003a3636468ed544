// How long to wait before asking etcd again after it did not answer a write (deadline, dropped
// connection, "no leader"): capped exponential with full jitter, so coordinators that lost the same
// leader do not all come back in one beat. Pure: the caller sleeps.

export class RetryBackoff {
  private attempt = 0;

  constructor(
    private readonly firstMs = 100,
    private readonly capMs = 2000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The next wait: a random share of min(cap, first * 2^attempt). */
  next(): number {
    const ceiling = Math.min(this.capMs, this.firstMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(1, Math.round(ceiling * (0.5 + this.random() / 2)));
  }
}

/** Resolves after `ms`; the timer never holds the process up. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
