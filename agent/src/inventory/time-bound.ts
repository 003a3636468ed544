// Caps how long one inventory source may take. systeminformation shells out to tools that can hang
// (lshw, dmidecode, nmcli on a wedged bus); the work itself cannot be cancelled, but the agent stops
// waiting for it. The timer is unref()ed so it never holds the process open.

import { InventoryTimeoutError } from './errors.js';

export function timeBound<T>(source: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new InventoryTimeoutError(source, timeoutMs)), timeoutMs);
    timer.unref();
    let started: Promise<T>;
    try {
      started = work();
    } catch (err) {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    started.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
