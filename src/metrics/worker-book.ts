// The metrics' own picture of every worker incarnation, kept only from master notices:
// its state (for the per-state gauge), its pid while alive (for the resource sampler),
// and the CPU time of finished incarnations (so a slot's CPU counter never goes down).
import type { MasterNotice, WorkerRef } from '../master/notices.js';
import type { WorkerState } from '../worker/states.js';

// One incarnation as the book knows it.
export interface BookEntry {
  readonly app: string;
  readonly slot: number;
  readonly generation: number;
  readonly pid: number | null;
  state: WorkerState;
  // False once its process exited (a worker in backoff has no process).
  alive: boolean;
  readonly startedAt: number;
  // Last sampled CPU seconds and resident bytes of its process.
  cpuSeconds: number;
  rssBytes: number | null;
}

const idOf = (w: WorkerRef) => `${w.app}\u0000${w.slot}\u0000${w.generation}\u0000${w.pid ?? '-'}`;
const slotOf = (app: string, slot: number) => `${app}\u0000${slot}`;

// The book: feed it every notice; read it when collecting metrics or sampling.
export class WorkerBook {
  private readonly entries = new Map<string, BookEntry>();
  private readonly retiredCpu = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  // Updates the book from one notice.
  observe(n: MasterNotice): void {
    switch (n.type) {
      case 'worker-spawned':
        this.entries.set(idOf(n.worker), { ...n.worker, state: 'starting', alive: n.worker.pid !== null, startedAt: this.now(), cpuSeconds: 0, rssBytes: null });
        return;
      case 'worker-state': {
        const id = idOf(n.worker);
        if (n.to === 'exited') return this.retire(id, true);
        const e = this.entries.get(id) ?? { ...n.worker, state: n.to, alive: false, startedAt: this.now(), cpuSeconds: 0, rssBytes: null };
        e.state = n.to;
        this.entries.set(id, e);
        return;
      }
      case 'worker-exit':
        return this.retire(idOf(n.worker), false);
      case 'reload-started':
        // A rollout forgets the app's fatal workers without a notice of their own.
        for (const [id, e] of this.entries) if (e.app === n.app && e.state === 'fatal') this.entries.delete(id);
        return;
      case 'app-stopped':
        for (const [id, e] of this.entries) if (e.app === n.app) this.entries.delete(id);
        for (const key of this.retiredCpu.keys()) if (key.startsWith(`${n.app}\u0000`)) this.retiredCpu.delete(key);
        return;
      default:
        return;
    }
  }

  // Every incarnation the book holds (alive or in backoff/fatal).
  all(): BookEntry[] {
    return [...this.entries.values()];
  }

  // Incarnations whose process runs.
  alive(): BookEntry[] {
    return this.all().filter((e) => e.alive && e.pid !== null);
  }

  // CPU seconds of every incarnation that ever ran in this slot: finished ones plus live ones.
  slotCpuSeconds(app: string, slot: number): number {
    const live = this.alive().filter((e) => e.app === app && e.slot === slot).reduce((s, e) => s + e.cpuSeconds, 0);
    return (this.retiredCpu.get(slotOf(app, slot)) ?? 0) + live;
  }

  // Slots that ever had CPU time, for the CPU counter's series.
  cpuSlots(): { app: string; slot: number }[] {
    const keys = new Set([...this.retiredCpu.keys(), ...this.alive().map((e) => slotOf(e.app, e.slot))]);
    return [...keys].map((k) => {
      const [app, slot] = k.split('\u0000');
      return { app: app!, slot: Number(slot) };
    });
  }

  private retire(id: string, forget: boolean): void {
    const e = this.entries.get(id);
    if (e?.alive) {
      e.alive = false;
      const key = slotOf(e.app, e.slot);
      this.retiredCpu.set(key, (this.retiredCpu.get(key) ?? 0) + e.cpuSeconds);
    }
    if (forget) this.entries.delete(id);
  }
}
