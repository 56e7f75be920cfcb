// The supervisor's own metrics in one prom-client registry, updated only from master
// notices (and the resource sampler's readings kept in the WorkerBook), never by
// increments scattered through the master.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MasterNotice } from '../master/notices.js';
import type { WorkerState } from '../worker/states.js';
import { WorkerBook } from './worker-book.js';

// Every metric name starts with this.
export const PREFIX = 'supervisor_';

// The states the per-state gauge reports (an exited worker is no longer counted).
export const GAUGE_STATES: readonly WorkerState[] = ['starting', 'ready', 'draining', 'stopping', 'backoff', 'fatal', 'done'];
// Why a worker was replaced.
export const RESTART_REASONS = ['crash', 'memory', 'watch', 'reload', 'manual'] as const;
// The output streams of a worker, as log line counters label them.
const STREAMS = ['stdout', 'stderr'] as const;
// Why a worker's metrics were left out of a scrape.
export type ScrapeFailure = 'timeout' | 'malformed';

// The supervisor's registry plus the notice handler that keeps it current.
export class SupervisorMetrics {
  readonly registry = new Registry();
  readonly book: WorkerBook;
  private readonly apps = new Set<string>();
  private readonly restarts: Counter<'app' | 'reason'>;
  private readonly reloads: Counter<'app' | 'result'>;
  private readonly reloadSeconds: Histogram<'app' | 'result'>;
  private readonly configOk: Gauge<'file'>;
  private readonly configOkAt: Gauge<'file'>;
  private readonly scrapeFailures: Counter<'app' | 'reason'>;
  private readonly truncatedLines: Counter<'app' | 'stream'>;
  private readonly droppedLines: Counter<'app' | 'stream'>;

  constructor(opts: { defaultMetrics?: boolean; now?: () => number } = {}) {
    const registers = [this.registry];
    const book = (this.book = new WorkerBook(opts.now));
    const apps = this.apps;
    new Gauge({
      name: `${PREFIX}workers`, help: 'Workers per app and lifecycle state.', labelNames: ['app', 'state'], registers,
      collect() {
        this.reset();
        for (const app of apps) for (const state of GAUGE_STATES) this.set({ app, state }, 0);
        for (const e of book.all()) this.inc({ app: e.app, state: e.state });
      },
    });
    this.restarts = new Counter({ name: `${PREFIX}worker_restarts_total`, help: 'Workers replaced, per app and reason (crash, memory, watch, reload, manual).', labelNames: ['app', 'reason'], registers });
    this.reloads = new Counter({ name: `${PREFIX}reloads_total`, help: 'Rolling reloads per app and result (ok, aborted).', labelNames: ['app', 'result'], registers });
    this.reloadSeconds = new Histogram({
      name: `${PREFIX}reload_duration_seconds`, help: 'How long rolling reloads took, per app and result.', labelNames: ['app', 'result'], registers,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    });
    new Counter({
      name: `${PREFIX}worker_cpu_seconds_total`, help: "CPU time (user + system) of the workers of each slot, summed over the slot's incarnations.", labelNames: ['app', 'worker'], registers,
      collect() {
        this.reset();
        for (const { app, slot } of book.cpuSlots()) this.inc({ app, worker: String(slot) }, book.slotCpuSeconds(app, slot));
      },
    });
    new Gauge({
      name: `${PREFIX}worker_resident_memory_bytes`, help: 'Resident memory of the live workers of each slot, as last sampled.', labelNames: ['app', 'worker'], registers,
      collect() {
        this.reset();
        for (const e of book.alive()) if (e.rssBytes !== null) this.inc({ app: e.app, worker: String(e.slot) }, e.rssBytes);
      },
    });
    new Gauge({
      name: `${PREFIX}worker_start_time_seconds`, help: 'Start time of the newest live worker of each slot, in seconds since the epoch.', labelNames: ['app', 'worker'], registers,
      collect() {
        this.reset();
        const newest = new Map<string, { app: string; worker: string; at: number }>();
        for (const e of book.alive()) {
          const key = `${e.app}\u0000${e.slot}`;
          if ((newest.get(key)?.at ?? -1) < e.startedAt) newest.set(key, { app: e.app, worker: String(e.slot), at: e.startedAt });
        }
        for (const n of newest.values()) this.set({ app: n.app, worker: n.worker }, n.at / 1000);
      },
    });
    this.configOk = new Gauge({ name: `${PREFIX}config_last_reload_successful`, help: 'Whether the last load of each config file succeeded (1) or was rejected (0).', labelNames: ['file'], registers });
    this.configOkAt = new Gauge({ name: `${PREFIX}config_last_reload_success_timestamp_seconds`, help: 'When each config file was last loaded successfully, in seconds since the epoch.', labelNames: ['file'], registers });
    this.scrapeFailures = new Counter({ name: `${PREFIX}worker_scrape_failures_total`, help: "Workers left out of a scrape's merged worker metrics, per app and reason (timeout, malformed).", labelNames: ['app', 'reason'], registers });
    this.truncatedLines = new Counter({ name: `${PREFIX}log_lines_truncated_total`, help: 'Worker output lines longer than max_line_length, cut there, per app and stream.', labelNames: ['app', 'stream'], registers });
    this.droppedLines = new Counter({ name: `${PREFIX}log_lines_dropped_total`, help: 'Worker output lines a log file could not take (stalled, full or failing sink), per app and stream.', labelNames: ['app', 'stream'], registers });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  // Updates the metrics from one master notice.
  observe(n: MasterNotice): void {
    this.book.observe(n);
    switch (n.type) {
      case 'config-loaded':
        this.configOk.set({ file: n.file }, 1);
        this.configOkAt.set({ file: n.file }, Date.now() / 1000);
        for (const app of n.config.apps) this.knowApp(app.name);
        return;
      case 'config-failed':
        // Only files the master runs have a series; a start that failed registered nothing.
        if (n.registered) this.configOk.set({ file: n.file }, 0);
        return;
      case 'worker-restart-scheduled':
        this.restarts.inc({ app: n.worker.app, reason: n.reason });
        return;
      case 'worker-state':
        // A live worker retired by a rolling reload (or an all-at-once restart) is one restart.
        if ((n.from === 'starting' || n.from === 'ready') && (n.to === 'draining' || n.to === 'stopping')) {
          if (n.reason === 'reload') this.restarts.inc({ app: n.worker.app, reason: 'reload' });
          if (n.reason === 'restart') this.restarts.inc({ app: n.worker.app, reason: 'manual' });
        }
        return;
      case 'worker-output':
        if (n.truncated) this.truncatedLines.inc({ app: n.worker.app, stream: n.stream });
        return;
      case 'reload-done':
        this.reloads.inc({ app: n.app, result: 'ok' });
        this.reloadSeconds.observe({ app: n.app, result: 'ok' }, n.durationMs / 1000);
        return;
      case 'reload-aborted':
        this.reloads.inc({ app: n.app, result: 'aborted' });
        this.reloadSeconds.observe({ app: n.app, result: 'aborted' }, n.durationMs / 1000);
        return;
      default:
        return;
    }
  }

  // Counts a worker left out of a scrape.
  scrapeFailed(app: string, reason: ScrapeFailure): void {
    this.scrapeFailures.inc({ app, reason });
  }

  // Counts worker lines a log file dropped.
  linesDropped(app: string, stream: 'stdout' | 'stderr', count = 1): void {
    this.droppedLines.inc({ app, stream }, count);
  }

  // Gives a new app's counters their zero series, so rate() and alerts see them from the start.
  private knowApp(app: string): void {
    if (this.apps.has(app)) return;
    this.apps.add(app);
    for (const reason of RESTART_REASONS) this.restarts.inc({ app, reason }, 0);
    for (const result of ['ok', 'aborted']) this.reloads.inc({ app, result }, 0);
    for (const reason of ['timeout', 'malformed']) this.scrapeFailures.inc({ app, reason }, 0);
    for (const stream of STREAMS) {
      this.truncatedLines.inc({ app, stream }, 0);
      this.droppedLines.inc({ app, stream }, 0);
    }
  }
}
