// Renders one scrape: the supervisor's own metrics plus the workers' metrics merged with
// prom-client's AggregatorRegistry.aggregate, in the Prometheus text format or OpenMetrics.
// Every metric is registered into a fresh registry as a static copy, because prom-client
// renames counter objects in place when it renders OpenMetrics.
import { AggregatorRegistry, Registry, type RegistryContentType } from 'prom-client';
import type { MetricJson } from './worker-json.js';

// The two formats a scraper can ask for.
export const CONTENT_TYPES = { text: Registry.PROMETHEUS_CONTENT_TYPE, openmetrics: Registry.OPENMETRICS_CONTENT_TYPE } as const;

// Which format an Accept header asks for (OpenMetrics only when it says so).
export function formatFor(accept: string | undefined): keyof typeof CONTENT_TYPES {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

function staticMetric(m: MetricJson, openMetrics: boolean): MetricJson & { get(): MetricJson } {
  const data = openMetrics && m.type === 'counter' ? { ...m, name: m.name.replace(/_total$/, '') } : m;
  return { ...data, get: () => data };
}

// Merges the workers' answers (one list per worker) into one list of metrics.
export async function aggregateWorkers(perWorker: readonly MetricJson[][]): Promise<MetricJson[]> {
  if (perWorker.length === 0) return [];
  return (await AggregatorRegistry.aggregate(perWorker as object[]).getMetricsAsJSON()) as unknown as MetricJson[];
}

// The exposition text of `own` followed by `workers` (whose names must not clash with `own`).
export async function render(own: readonly MetricJson[], workers: readonly MetricJson[], format: keyof typeof CONTENT_TYPES): Promise<string> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(CONTENT_TYPES[format]);
  const openMetrics = format === 'openmetrics';
  for (const m of [...own, ...workers]) registry.registerMetric(staticMetric(m, openMetrics) as unknown as Parameters<Registry['registerMetric']>[0]);
  return registry.metrics();
}
