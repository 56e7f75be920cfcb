// Samples every live worker's CPU time and resident memory with pidusage every few
// seconds. The readings feed the per-worker metrics, and a worker above its app's
// max_memory_restart is replaced gracefully in place (a new worker first).
import pidusage from 'pidusage';
import type { MasterNotice } from '../master/notices.js';
import type { WorkerBook, BookEntry } from './worker-book.js';

// How often the sampler runs.
export const SAMPLE_INTERVAL_MS = 2_000;

// What the sampler needs from the master.
export interface SamplerHooks {
  // Master.replaceWorker: graceful in-place replacement.
  replaceWorker(app: string, slot: number, reason: 'memory'): Promise<{ ok: boolean; message: string }>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

// Periodic sampling plus the memory limit; feed it notices to learn each app's limit.
export class ResourceSampler {
  private readonly limits = new Map<string, number | null>();
  private readonly replacing = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly book: WorkerBook, private readonly hooks: SamplerHooks, private readonly intervalMs = SAMPLE_INTERVAL_MS) {}

  // Learns each app's max_memory_restart from the configs the master loads.
  observe(n: MasterNotice): void {
    if (n.type === 'config-loaded') for (const app of n.config.apps) this.limits.set(app.name, app.max_memory_restart);
    if (n.type === 'worker-exit' && n.worker.pid !== null) this.replacing.delete(n.worker.pid);
  }

  // Starts sampling every interval.
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
  }

  // Stops sampling and waits for a sample in flight.
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    pidusage.clear();
  }

  // Takes one sample of every live worker now (overlapping calls share one sample).
  sampleOnce(): Promise<void> {
    this.running ??= this.sample().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sample(): Promise<void> {
    const live = this.book.alive();
    await Promise.all(live.map(async (e) => {
      try {
        const s = await pidusage(e.pid!);
        e.cpuSeconds = s.ctime / 1000;
        e.rssBytes = s.memory;
      } catch {
        return; // the process exited between the notice and the sample
      }
      this.checkLimit(e);
    }));
  }

  private checkLimit(e: BookEntry): void {
    const limit = this.limits.get(e.app) ?? null;
    if (limit === null || e.rssBytes === null || e.rssBytes <= limit || e.state !== 'ready' || this.replacing.has(e.pid!)) return;
    const pid = e.pid!;
    const rss = e.rssBytes;
    this.replacing.add(pid);
    void this.hooks.replaceWorker(e.app, e.slot, 'memory').then((r) => {
      if (r.ok) this.hooks.log('warn', `${e.app}#${e.slot} gen ${e.generation} pid ${pid}: resident memory ${mb(rss)} exceeds max_memory_restart ${mb(limit)}; replacing it gracefully`);
      else this.replacing.delete(pid); // not replaceable now (say, a reload runs): try again next sample
    });
  }
}
