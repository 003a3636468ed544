// Node process metrics (CPU, memory, file descriptors, event-loop delay, GC) in a registry, named
// as Prometheus wants them; the agent's and the coordinator's /metrics both use it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, type Registry } from 'prom-client';

export interface ProcessMetricsOptions {
  /**
   * How often the event-loop delay is sampled, in ms. Each sample is a timer wake-up, idle or not
   * (45-85 µs of CPU each on a 2-vCPU VM, measured in the README's benchmarks): 10 costs an idle
   * process about ten times what 100 does, and misses no stall of 10 ms or more.
   */
  readonly eventLoopResolutionMs: number;
}

/** The delay gauges: prom-client's names, each fed from our own histogram (below). */
const DELAY_GAUGES = [
  ['min', 'The smallest event-loop delay sampled since the last scrape'],
  ['max', 'The largest event-loop delay sampled since the last scrape'],
  ['mean', 'The mean event-loop delay sampled since the last scrape'],
  ['stddev', 'The standard deviation of the event-loop delays sampled since the last scrape'],
  ['p50', 'The median event-loop delay sampled since the last scrape'],
  ['p90', 'The 90th percentile of the event-loop delays sampled since the last scrape'],
  ['p99', 'The 99th percentile of the event-loop delays sampled since the last scrape'],
] as const;

// prom-client always starts a monitorEventLoopDelay of its own, at eventLoopMonitoringPrecision;
// at this interval (the longest a timer takes) it never wakes, and its gauges are replaced below.
const PROM_CLIENT_TIMER_OFF_MS = 2 ** 31 - 1;

/**
 * prom-client's default metrics under `prefix`, with two changes.
 * - Without the gauges whose names end in `_total`: `promtool check metrics` rejects those
 *   ("non-counter metrics should not have \"_total\" suffix"): prom-client 15 exports
 *   nodejs_active_handles_total, nodejs_active_requests_total and nodejs_active_resources_total as
 *   gauges. Each is the sum of the per-type gauge kept beside it (nodejs_active_handles{type}), so
 *   nothing is lost: sum(nodejs_active_handles) is the total.
 * - The event-loop delay (nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds) is
 *   sampled every `eventLoopResolutionMs` and reported as the delay itself. prom-client reports
 *   monitorEventLoopDelay's raw samples, the time between two wake-ups of its timer, which include
 *   the interval: an idle loop read 10 ms at its 10 ms default, and would read 100 ms at 100. Here
 *   each sample is what the timer fired late (its interval less the resolution), so an idle loop
 *   reads about 0 whatever the resolution, and a stall of D ms reads about D.
 */
export function collectProcessMetrics(registry: Registry, prefix: string, options: ProcessMetricsOptions): void {
  collectDefaultMetrics({ register: registry, prefix, eventLoopMonitoringPrecision: PROM_CLIENT_TIMER_OFF_MS });
  for (const metric of registry.getMetricsAsArray()) {
    if (!(metric instanceof Counter) && metric.name.endsWith('_total')) registry.removeSingleMetric(metric.name);
  }
  const resolutionNs = options.eventLoopResolutionMs * 1e6;
  const histogram = monitorEventLoopDelay({ resolution: options.eventLoopResolutionMs });
  histogram.enable();
  const delaySeconds = (ns: number): number => Math.max(0, ns - resolutionNs) / 1e9;
  const read = {
    min: () => delaySeconds(histogram.min),
    max: () => delaySeconds(histogram.max),
    mean: () => delaySeconds(histogram.mean),
    stddev: () => histogram.stddev / 1e9,
    p50: () => delaySeconds(histogram.percentile(50)),
    p90: () => delaySeconds(histogram.percentile(90)),
    p99: () => delaySeconds(histogram.percentile(99)),
  };
  // One scrape reads all seven from the same samples, then starts a new window (as prom-client):
  // the first gauge's collect sets them all, and the registry reads gauges in the order they came.
  const collect = (): void => {
    // Before the first sample the histogram holds nothing (its min reads as a huge number): report 0.
    const sampled = histogram.count > 0;
    for (const { stat, gauge } of gauges) gauge.set(sampled ? read[stat]() : 0);
    histogram.reset();
  };
  const gauges = DELAY_GAUGES.map(([stat, help], i) => {
    const name = `${prefix}nodejs_eventloop_lag_${stat}_seconds`;
    registry.removeSingleMetric(name);
    return { stat, gauge: new Gauge({ name, help: `${help}, in seconds`, registers: [registry], ...(i === 0 ? { collect } : {}) }) };
  });
}
