// Checks one worker's getMetricsAsJSON() answer before it is merged: anything that is not
// a well-formed list of metrics is rejected as a whole, with a reason for the log line.
// Each series gets the worker's `app` label (unless it has its own), so two apps' metrics
// of the same name stay apart.
import type { Aggregator } from 'prom-client';

// One metric as prom-client's getMetricsAsJSON() describes it.
export interface MetricJson {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  aggregator: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);
const AGGREGATORS: ReadonlySet<string> = new Set<Aggregator>(['sum', 'first', 'min', 'max', 'average', 'omit']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkMetric(raw: unknown, app: string): MetricJson | string {
  if (!isObject(raw)) return 'a metric is not an object';
  const { name, help, type, values } = raw;
  const aggregator = raw.aggregator ?? 'sum';
  if (typeof name !== 'string' || !NAME.test(name)) return `bad metric name ${JSON.stringify(name)}`;
  if (typeof type !== 'string' || !TYPES.has(type)) return `${name}: unknown type ${JSON.stringify(type)}`;
  if (typeof aggregator !== 'string' || !AGGREGATORS.has(aggregator)) return `${name}: unknown aggregator ${JSON.stringify(aggregator)}`;
  if (!Array.isArray(values)) return `${name}: values is not a list`;
  const out: MetricJson['values'] = [];
  for (const v of values) {
    if (!isObject(v)) return `${name}: a value is not an object`;
    // JSON turns NaN into null.
    const value = v.value === null ? Number.NaN : v.value;
    if (typeof value !== 'number') return `${name}: a value is not a number`;
    const labels = v.labels ?? {};
    if (!isObject(labels)) return `${name}: labels is not an object`;
    for (const [k, lv] of Object.entries(labels)) {
      if (!LABEL.test(k) || k.startsWith('__')) return `${name}: bad label name ${JSON.stringify(k)}`;
      if (typeof lv !== 'string' && typeof lv !== 'number') return `${name}: label ${k} is not a string or number`;
    }
    if (v.metricName !== undefined && (typeof v.metricName !== 'string' || !NAME.test(v.metricName))) return `${name}: bad series name`;
    const entry: MetricJson['values'][number] = { value, labels: { app, ...(labels as Record<string, string | number>) } };
    if (typeof v.metricName === 'string') entry.metricName = v.metricName;
    out.push(entry);
  }
  return { name, help: typeof help === 'string' ? help : name, type: type as MetricJson['type'], aggregator, values: out };
}

// Checks one worker's answer; returns its metrics (labelled with `app`) or why it was rejected.
export function checkWorkerMetrics(raw: unknown, app: string): MetricJson[] | string {
  if (!Array.isArray(raw)) return 'expected a list of metrics (registry.getMetricsAsJSON())';
  const metrics: MetricJson[] = [];
  for (const m of raw) {
    const checked = checkMetric(m, app);
    if (typeof checked === 'string') return checked;
    metrics.push(checked);
  }
  return metrics;
}
