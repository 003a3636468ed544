// Node process metrics (CPU, memory, file descriptors, event-loop delay, GC) in a registry, named
// as Prometheus wants them; the agent's and the coordinator's /metrics both use it.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, type Registry } from 'prom-client';

export interface ProcessMetricsOptions {
  /**
   * How often the event-loop delay is sampled, in ms. Each sample is a timer wake-up, idle or not
   * (45-85 µs of CPU each on a 2-vCPU VM, measured in the README's benchmarks): 10 costs an idle
   * process about ten times what 100 does, and misses no stall of 10 ms or more.
   */
  readonly eventLoopResolutionMs: number;
}

/**
 * The delay gauges: prom-client's names, each read from our own histogram (below) by `ns`, in
 * nanoseconds; all but the standard deviation are samples, reported less the interval.
 */
const DELAY_GAUGES: readonly { stat: string; help: string; ns: (h: IntervalHistogram) => number; sample: boolean }[] = [
  { stat: 'min', help: 'The smallest event-loop delay', ns: (h) => h.min, sample: true },
  { stat: 'max', help: 'The largest event-loop delay', ns: (h) => h.max, sample: true },
  { stat: 'mean', help: 'The mean event-loop delay', ns: (h) => h.mean, sample: true },
  { stat: 'stddev', help: 'The standard deviation of the event-loop delays', ns: (h) => h.stddev, sample: false },
  { stat: 'p50', help: 'The median event-loop delay', ns: (h) => h.percentile(50), sample: true },
  { stat: 'p90', help: 'The 90th percentile of the event-loop delays', ns: (h) => h.percentile(90), sample: true },
  { stat: 'p99', help: 'The 99th percentile of the event-loop delays', ns: (h) => h.percentile(99), sample: true },
];

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
  const seconds = ({ ns, sample }: (typeof DELAY_GAUGES)[number]): number => Math.max(0, ns(histogram) - (sample ? resolutionNs : 0)) / 1e9;
  // One scrape reads all seven from the same samples, then starts a new window (as prom-client):
  // the first gauge's collect sets them all, and the registry reads gauges in the order they came.
  const collect = (): void => {
    // Before the first sample the histogram holds nothing (its min reads as a huge number): report 0.
    const sampled = histogram.count > 0;
    gauges.forEach((gauge, i) => gauge.set(sampled ? seconds(DELAY_GAUGES[i]!) : 0));
    histogram.reset();
  };
  const gauges = DELAY_GAUGES.map(({ stat, help }, i) => {
    const name = `${prefix}nodejs_eventloop_lag_${stat}_seconds`;
    registry.removeSingleMetric(name);
    const full = `${help} sampled since the last scrape, in seconds`;
    return new Gauge({ name, help: full, registers: [registry], ...(i === 0 ? { collect } : {}) });
  });
}
