// The process metrics' event-loop delay: sampled at the resolution asked for and reported as the
// delay itself (an idle loop reads about 0, not the sampling interval), a stall as about its
// length, each scrape starting a new window; and prom-client's other metrics as before.
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectProcessMetrics } from '../../../proto/shared/process-metrics.js';

const RESOLUTION_MS = 20;

async function scrape(registry: Registry): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (const line of (await registry.metrics()).split('\n')) {
    const match = /^test_(nodejs_eventloop_lag_\w+_seconds) (\S+)$/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a stalled event loop
  }
}

describe('process metrics', () => {
  const registry = new Registry();
  collectProcessMetrics(registry, 'test_', { eventLoopResolutionMs: RESOLUTION_MS });

  it('reports an idle loop as about no delay, not as the sampling interval', async () => {
    await scrape(registry); // opens a window
    await sleep(20 * RESOLUTION_MS);
    const lag = await scrape(registry);
    // monitorEventLoopDelay's raw samples are each at least the interval (20 ms here).
    expect(lag.get('nodejs_eventloop_lag_min_seconds')).toBeLessThan(RESOLUTION_MS / 2 / 1000);
    expect(lag.get('nodejs_eventloop_lag_p50_seconds')).toBeLessThan(RESOLUTION_MS / 2 / 1000);
  });

  it('reports a stall as about its length, and forgets it at the next window', async () => {
    await scrape(registry);
    await sleep(3 * RESOLUTION_MS);
    busyFor(150);
    await sleep(3 * RESOLUTION_MS);
    const stalled = await scrape(registry);
    expect(stalled.get('nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(0.15 - RESOLUTION_MS / 1000);
    expect(stalled.get('nodejs_eventloop_lag_max_seconds')).toBeLessThan(1);
    await sleep(10 * RESOLUTION_MS);
    const after = await scrape(registry);
    expect(after.get('nodejs_eventloop_lag_max_seconds')).toBeLessThan(0.1);
  });

  it("keeps prom-client's other process metrics, each once, and no gauge named _total", async () => {
    const text = await registry.metrics();
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    const names = types.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const stat of ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'])
      expect(names).toContain(`test_nodejs_eventloop_lag_${stat}_seconds`);
    const kept = ['test_nodejs_eventloop_lag_seconds', 'test_process_cpu_seconds_total', 'test_nodejs_gc_duration_seconds'];
    expect(names).toEqual(expect.arrayContaining(kept));
    expect(types.filter(([name, type]) => name.endsWith('_total') && type !== 'counter')).toEqual([]);
  });
});
