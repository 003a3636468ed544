// The coordinator's event-loop delay over a window, from its own /metrics:
// nodejs_eventloop_lag_p99_seconds is perf_hooks.monitorEventLoopDelay (10 ms resolution) inside
// the coordinator, reset at every scrape. Scraping once when the window opens and once when it
// closes gives the p99 over the window. The coordinator reports each sample less its 10 ms interval
// (proto/shared/process-metrics.ts), so an idle loop reads about 0; the figure here adds the interval
// back, as monitorEventLoopDelay records it (the time between its timer's expirations: an idle loop
// reads about 10 ms), so that it compares with the runs recorded before and with the target.
// The same scrape also counts the store writes committed so far (each store.write, durable or failed).
import { COORDINATOR_EVENT_LOOP_RESOLUTION_MS } from '../../coordinator/src/metrics/coordinator-metrics.js';

const P99 = /^mooring_coordinator_nodejs_eventloop_lag_p99_seconds\s+(\S+)$/m;
const WRITES = /^mooring_coordinator_store_commit_duration_seconds_count\{[^}]*\}\s+(\S+)$/gm;

async function scrape(metricsUrl: string): Promise<string> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: HTTP ${response.status}`);
  return response.text();
}

/** Store writes the coordinator has committed (or failed) since it started. */
export async function storeWrites(metricsUrl: string): Promise<number> {
  let total = 0;
  for (const match of (await scrape(metricsUrl)).matchAll(WRITES)) total += Number(match[1]);
  return total;
}

/** Starts the window (a scrape that resets the histogram); the returned function ends it with the p99 in ms. */
export async function eventLoopDelayWindow(metricsUrl: string): Promise<() => Promise<number>> {
  await scrape(metricsUrl);
  return async () => {
    const match = P99.exec(await scrape(metricsUrl));
    if (!match) throw new Error(`${metricsUrl} has no mooring_coordinator_nodejs_eventloop_lag_p99_seconds`);
    return Number(match[1]) * 1000 + COORDINATOR_EVENT_LOOP_RESOLUTION_MS;
  };
}
