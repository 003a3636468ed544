// Waits, driven by monitor updates and never by polling, until ovs-vswitchd has applied a
// configuration: Open_vSwitch.cur_cfg has reached next_cfg and a condition on the replica holds.
// Every wait is bounded: ovs-vsctl waits forever when vswitchd is down (protocol-facts §1.7); we don't.

import type { Monitor } from '../../../proto/ovsdb/monitor.js';
import { ApplyTimeoutError } from './errors.js';

/** Returns undefined while still waiting, a value when done, or throws to fail the wait. */
export type Check<T> = () => T | undefined;

export function curCfg(monitor: Monitor): number {
  for (const row of monitor.replica.rows('Open_vSwitch')) return Number(row.cur_cfg);
  return 0;
}

export function waitApplied<T>(
  monitor: Monitor,
  nextCfg: number | undefined,
  check: Check<T>,
  timeoutMs: number,
  describe: () => string[],
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void): void => {
      clearTimeout(timer);
      monitor.off('update', evaluate);
      monitor.off('rebuilt', evaluate);
      fn();
    };
    function evaluate(): void {
      if (nextCfg !== undefined && curCfg(monitor) < nextCfg) return;
      let result: T | undefined;
      try {
        result = check();
      } catch (err) {
        finish(() => reject(err instanceof Error ? err : new Error(String(err))));
        return;
      }
      if (result !== undefined) finish(() => resolve(result));
    }
    const timer = setTimeout(() => finish(() => reject(new ApplyTimeoutError(timeoutMs, nextCfg, curCfg(monitor), describe()))), timeoutMs);
    timer.unref();
    monitor.on('update', evaluate);
    monitor.on('rebuilt', evaluate);
    evaluate();
  });
}
