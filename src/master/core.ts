// The master's state and the few primitives every part of it shares.
import type { AppRuntime, WorkerRecord } from './app-runtime.js';
import type { MasterEffects } from './effects.js';
import type { MasterNotice, Observer, WorkerRef } from './notices.js';
import type { MasterEvent } from './master-events.js';

// A config file the master has loaded, and whether its last load worked.
export interface ConfigState {
  readonly file: string;
  ok: boolean;
  error: string | null;
  loadedAt: number;
}

// Shared state of one master; the functions in master/ take it as their first argument.
export class MasterCore {
  readonly apps = new Map<string, AppRuntime>();
  readonly workers = new Map<string, WorkerRecord>();
  readonly configs = new Map<string, ConfigState>();
  readonly observers: Observer[] = [];
  shuttingDown = false;
  seq = 0;

  constructor(
    readonly effects: MasterEffects,
    readonly enqueue: (event: MasterEvent) => void,
  ) {}

  // Tells every observer; an observer that throws does not stop the master.
  notify(notice: MasterNotice): void {
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
}
