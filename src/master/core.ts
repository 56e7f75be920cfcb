// The master's state and the few primitives every part of it shares.
import type { AppRuntime, WorkerRecord } from './app-runtime.js';
import type { ConfigFile } from './config-files.js';
import type { MasterEffects } from './effects.js';
import type { MasterNotice, Observer, WorkerRef } from './notices.js';
import type { MasterEvent } from './master-events.js';

// Shared state of one master; the functions in master/ take it as their first argument.
export class MasterCore {
  readonly apps = new Map<string, AppRuntime>();
  readonly workers = new Map<string, WorkerRecord>();
  readonly files = new Map<string, ConfigFile>();
  readonly observers: Observer[] = [];
  shuttingDown = false;
  seq = 0;
  // Where an app's stderr log file is, for messages about a failed worker (null: not said).
  errorLogOf: ((app: string) => string) | null = null;
  private lastRequest = 0;
  private inflight = 0;
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    readonly effects: MasterEffects,
    readonly enqueue: (event: MasterEvent) => void,
  ) {}

  // A new request id; notices caused by the request carry it.
  newRequest(): number {
    return ++this.lastRequest;
  }

  // Tells every observer; an observer that throws does not stop the master. A notice about an
  // app or worker gets the id of the request whose operation the app is in, unless it has one.
  notify(notice: MasterNotice): void {
    if (!('request' in notice) && notice.type !== 'worker-output' && notice.type !== 'worker-metrics') {
      const app = 'worker' in notice ? notice.worker.app : 'app' in notice ? notice.app : null;
      const request = app === null ? null : this.apps.get(app)?.request ?? null;
      if (request !== null) notice = { ...notice, request } as MasterNotice;
    }
    for (const observe of this.observers) {
      try {
        observe(notice);
      } catch {
        // observers are best effort
      }
    }
  }

  // The reference used in notices.
  ref(w: WorkerRecord): WorkerRef {
    return { app: w.app, slot: w.slot, generation: w.generation, pid: w.pid };
  }

  // Runs an effect outside the loop (a config read, a bind); its result comes back as an event.
  // Effects carry their own deadlines; `idle()` waits for them.
  track<T>(work: Promise<T>, toEvent: (result: T) => MasterEvent): void {
    this.inflight++;
    void work.then(
      (result) => this.enqueue(toEvent(result)),
      (error: unknown) => this.notify({ type: 'log', level: 'error', message: `internal error in an effect: ${(error as Error).stack ?? String(error)}` }),
    ).finally(() => {
      if (--this.inflight === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    });
  }

  // Resolves once no effect is in flight.
  whenEffectsSettled(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }
}
