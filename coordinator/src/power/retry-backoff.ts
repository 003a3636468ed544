// Capped exponential backoff with equal jitter between retries of transient BMC failures (ipmi and
// redfish): delay n is uniform in [d/2, d], d = min(cap, base*2^n), so drivers retrying one busy BMC spread out;
// and a sleep that ends early when the caller's signal fires. Timers are unref'd so a shutdown is
// never held up by a retry.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly random?: () => number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const exp = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const random = this.options.random ?? Math.random;
    return Math.round(exp / 2 + (random() * exp) / 2);
  }
}

/** Waits `ms`; resolves false instead when `signal` fires first. */
export async function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal, ref: false });
    return true;
  } catch {
    return false;
  }
}
