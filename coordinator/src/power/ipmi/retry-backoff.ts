// Capped exponential backoff with equal jitter between retries of transient BMC failures: delay n is
// uniform in [d/2, d], d = min(maxMs, initialMs * 2^n), so a fleet of drivers retrying one busy BMC
// spreads out. The wait ends early when the caller's signal fires and its timer never holds the
// process up.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffSettings {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Random source in [0, 1); injectable for tests. */
  readonly random: () => number;
}

export class RetryBackoff {
  private attempt = 0;

  constructor(private readonly settings: BackoffSettings) {}

  /** The delay before the next retry, counting it. */
  next(): number {
    const ceiling = Math.min(this.settings.maxMs, this.settings.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + (this.settings.random() * ceiling) / 2);
  }
}

/** Waits `ms`; resolves false instead as soon as `signal` fires. */
export async function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal, ref: false });
    return true;
  } catch {
    return false;
  }
}
