// Every phase of the bench is bounded: a phase that overruns rejects with the phase's name, and
// the caller cleans up whatever the phase started (the work itself is not cancelled).

export class PhaseTimeoutError extends Error {
  override readonly name = 'PhaseTimeoutError';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} did not finish within ${timeoutMs} ms`);
  }
}

export async function within<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PhaseTimeoutError(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `task(i)` for i in 0..count-1 with at most `parallel` running at once; the first failure stops new starts. */
export async function boundedEach(count: number, parallel: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (!failed && next < count) {
        const i = next++;
        try {
          await task(i);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    }),
  );
}
