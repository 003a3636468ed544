// Node process metrics (CPU, memory, file descriptors, event-loop lag, GC) in a registry, named
// as Prometheus wants them; the agent's and the coordinator's /metrics both use it.
import { collectDefaultMetrics, Counter, type Registry } from 'prom-client';

/**
 * prom-client's default metrics under `prefix`, without the gauges whose names end in `_total`.
 * `promtool check metrics` rejects those ("non-counter metrics should not have \"_total\" suffix"):
 * prom-client 15 exports nodejs_active_handles_total, nodejs_active_requests_total and
 * nodejs_active_resources_total as gauges. Each is the sum of the per-type gauge kept beside it
 * (nodejs_active_handles{type}), so nothing is lost: sum(nodejs_active_handles) is the total.
 */
export function collectProcessMetrics(registry: Registry, prefix: string): void {
  collectDefaultMetrics({ register: registry, prefix });
  for (const metric of registry.getMetricsAsArray()) {
    if (!(metric instanceof Counter) && metric.name.endsWith('_total')) registry.removeSingleMetric(metric.name);
  }
}
