// Asks every IPC worker that loaded the SDK for its prom-client metrics, and collects the
// answers (which reach us as `worker-metrics` notices) until all are in or time runs out.
import { IPC_VERSION, type MetricsRequestMessage } from '../protocol/ipc.js';
import type { MasterNotice } from '../master/notices.js';

// How long a scrape waits for workers' answers.
export const WORKER_TIMEOUT_MS = 1_000;

// A worker to ask, as Master.liveWorkers() describes it.
export interface ScrapeTarget { readonly app: string; readonly slot: number; readonly pid: number; readonly key: string; readonly ipc: boolean; readonly sdk: boolean }

// One worker's answer.
export interface WorkerAnswer { readonly app: string; readonly slot: number; readonly pid: number; readonly metrics: unknown; readonly error: string | null }

// What a scrape of the workers found.
export interface WorkerScrape { readonly answers: WorkerAnswer[]; readonly silent: ScrapeTarget[] }

// What the scraper needs from the master.
export interface ScrapeHooks {
  liveWorkers(): readonly ScrapeTarget[];
  sendToWorker(key: string, message: MetricsRequestMessage): boolean;
}

interface Pending { readonly waiting: Map<number, ScrapeTarget>; readonly answers: WorkerAnswer[]; readonly done: () => void }

// Sends metrics requests and matches the answers to them by request id and pid.
export class WorkerScraper {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly hooks: ScrapeHooks, private readonly timeoutMs = WORKER_TIMEOUT_MS) {}

  // Feed every master notice here; answers are picked out of them.
  observe(n: MasterNotice): void {
    // A worker that exits during a scrape is not waited for (and not counted as silent).
    if (n.type === 'worker-exit' && n.worker.pid !== null) {
      for (const p of this.pending.values()) if (p.waiting.delete(n.worker.pid) && p.waiting.size === 0) p.done();
      return;
    }
    if (n.type !== 'worker-metrics' || n.worker.pid === null) return;
    const p = this.pending.get(n.id);
    const target = p?.waiting.get(n.worker.pid);
    if (!p || !target) return;
    p.waiting.delete(n.worker.pid);
    p.answers.push({ app: target.app, slot: target.slot, pid: target.pid, metrics: n.metrics, error: n.error });
    if (p.waiting.size === 0) p.done();
  }

  // Asks every worker once; resolves with the answers and the workers that stayed silent.
  async scrape(): Promise<WorkerScrape> {
    const id = this.nextId++;
    const waiting = new Map<number, ScrapeTarget>();
    const answers: WorkerAnswer[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    this.pending.set(id, { waiting, answers, done });
    for (const t of this.hooks.liveWorkers()) {
      if (!t.ipc || !t.sdk) continue;
      if (this.hooks.sendToWorker(t.key, { type: 'supervisor:metrics-request', v: IPC_VERSION, id })) waiting.set(t.pid, t);
    }
    if (waiting.size === 0) done();
    const timer = setTimeout(done, this.timeoutMs);
    await finished;
    clearTimeout(timer);
    this.pending.delete(id);
    return { answers, silent: [...waiting.values()] };
  }
}
