// One scrape, start to end: ask the workers, check and merge their answers, and render
// them after the supervisor's own metrics. A worker that stays silent or answers garbage
// is left out, counted, and logged once; the scrape always answers.
import type { MasterNotice } from '../master/notices.js';
import { aggregateWorkers, render, type CONTENT_TYPES } from './render.js';
import { SupervisorMetrics } from './supervisor-metrics.js';
import { checkWorkerMetrics, type MetricJson } from './worker-json.js';
import { WorkerScraper, type ScrapeHooks } from './worker-scrape.js';

// Where the collector's log lines go.
export type MetricsLog = (level: 'info' | 'warn' | 'error', message: string) => void;

// prom-client's default metrics include gauges named X_total that only sum a gauge X of the
// same family by type (nodejs_active_handles_total); Prometheus keeps _total for counters,
// so such a gauge is dropped. Any other metric is left as it is.
function withoutTotalGauges(metrics: MetricJson[]): MetricJson[] {
  const gauges = new Set(metrics.filter((m) => m.type === 'gauge').map((m) => m.name));
  return metrics.filter((m) => !(m.type === 'gauge' && m.name.endsWith('_total') && gauges.has(m.name.slice(0, -'_total'.length))));
}

// The supervisor's metrics and the workers' metrics behind one `text()` call.
export class MetricsCollector {
  readonly own: SupervisorMetrics;
  private readonly scraper: WorkerScraper;
  // Pids (and metric names) already logged about, so a bad worker is one log line, not one per scrape.
  private readonly told = new Set<string>();

  constructor(hooks: ScrapeHooks, private readonly log: MetricsLog, opts: { timeoutMs?: number; defaultMetrics?: boolean } = {}) {
    this.own = new SupervisorMetrics({ defaultMetrics: opts.defaultMetrics ?? true });
    this.scraper = new WorkerScraper(hooks, opts.timeoutMs);
  }

  // Feed every master notice here.
  observe(n: MasterNotice): void {
    this.own.observe(n);
    this.scraper.observe(n);
    if (n.type === 'worker-exit' && n.worker.pid !== null) for (const k of [...this.told]) if (k.startsWith(`${n.worker.pid}:`)) this.told.delete(k);
  }

  // The exposition text of one scrape.
  async text(format: keyof typeof CONTENT_TYPES): Promise<string> {
    const [ownRaw, scrape] = await Promise.all([this.own.registry.getMetricsAsJSON() as Promise<unknown> as Promise<MetricJson[]>, this.scraper.scrape()]);
    const own = withoutTotalGauges(ownRaw);
    const ownNames = new Set(own.map((m) => m.name));
    for (const t of scrape.silent) {
      this.own.scrapeFailed(t.app, 'timeout');
      this.once(`${t.pid}:timeout`, `${t.app}#${t.slot} pid ${t.pid}: did not answer a metrics request in time; its metrics are left out of this scrape`);
    }
    const perWorker: MetricJson[][] = [];
    for (const a of scrape.answers) {
      const checked = a.error !== null ? `its registry failed: ${a.error}` : checkWorkerMetrics(a.metrics, a.app);
      if (typeof checked === 'string') {
        this.own.scrapeFailed(a.app, 'malformed');
        this.once(`${a.pid}:malformed`, `${a.app}#${a.slot} pid ${a.pid}: malformed metrics skipped (${checked})`);
        continue;
      }
      perWorker.push(checked.filter((m) => {
        if (!ownNames.has(m.name)) return true;
        this.once(`name:${m.name}`, `worker metric ${m.name} is left out: the supervisor exports a metric of that name`);
        return false;
      }));
    }
    let workers: MetricJson[] = [];
    try {
      workers = withoutTotalGauges(await aggregateWorkers(perWorker));
    } catch (error) {
      this.once(`aggregate:${(error as Error).message}`, `worker metrics left out of the scrape: they could not be merged: ${(error as Error).message}`);
    }
    return render(own, workers, format);
  }

  private once(key: string, message: string): void {
    if (this.told.has(key)) return;
    this.told.add(key);
    this.log('warn', message);
  }
}
