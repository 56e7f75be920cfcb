// Fake effects for the master: a manual clock, manual timers and fake processes, so the
// lifecycle and reconciler run without real processes (Supervisor's DummyOptions idea).
import type { MasterEffects, SpawnRequest, WorkerCallbacks, WorkerHandle } from '../../src/master/effects.js';

// A fake worker process the test drives by hand.
export class FakeProcess implements WorkerHandle {
  readonly sent: unknown[] = [];
  readonly signals: string[] = [];
  exited = false;
  constructor(readonly pid: number, readonly req: SpawnRequest, private readonly cb: WorkerCallbacks) {}
  send(message: unknown): void {
    this.sent.push(message);
  }
  signal(signal: NodeJS.Signals): void {
    this.signals.push(signal);
  }
  get app(): string {
    return this.req.spec.name;
  }
  ready(): void {
    this.cb.message({ type: 'supervisor:hello', v: 1 });
    this.cb.message('ready');
  }
  exit(code: number | null, signal: string | null = null): void {
    this.exited = true;
    this.cb.exit(code, signal);
  }
}

// The fake world: time moves only when the test says so.
export class FakeWorld implements MasterEffects {
  time = 1_000_000;
  private nextPid = 1000;
  private timers: { at: number; fire: () => void; id: number }[] = [];
  private nextTimer = 0;
  readonly procs: FakeProcess[] = [];

  now(): number {
    return this.time;
  }
  setTimer(ms: number, fire: () => void): () => void {
    const id = ++this.nextTimer;
    this.timers.push({ at: this.time + ms, fire, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }
  spawn(req: SpawnRequest, cb: WorkerCallbacks): WorkerHandle {
    const p = new FakeProcess(++this.nextPid, req, cb);
    this.procs.push(p);
    return p;
  }
  // Live fake processes, optionally of one generation.
  live(generation?: number): FakeProcess[] {
    return this.procs.filter((p) => !p.exited && (generation === undefined || p.req.generation === generation));
  }
  // Moves the clock forward, firing due timers in order and letting the master react.
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fire();
    }
    this.time = end;
    await settle();
  }
}

// Something whose queue can be waited on (the Master).
export interface Idler { idle(): Promise<void> }
let idlers: Idler[] = [];

// Registers a master so settle() waits for its queue.
export function track(m: Idler): void {
  idlers.push(m);
}

// Lets queued master events (and what they enqueue) run to completion.
export async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setImmediate(r));
    await Promise.all(idlers.map((m) => m.idle()));
  }
}

// Forgets every tracked master (between tests).
export function untrackAll(): void {
  idlers = [];
}
