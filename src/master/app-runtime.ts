// The master's model of one app: desired state (generation, instances, specs) kept apart
// from actual state (worker records), as runit's want/state and gunicorn's manage_workers do.
import type { AppSpec } from '../config/types.js';
import type { CrashStreak } from '../worker/backoff.js';
import type { StopReason, TimerName, WorkerState } from '../worker/states.js';
import type { WorkerHandle } from './effects.js';

// How a reload or restart finished, as told to whoever waits for it.
export interface OutcomeReport { readonly ok: boolean; readonly message: string }
// Someone waiting for an outcome: a CLI call, a test.
export type Waiter = (report: OutcomeReport) => void;

// One worker incarnation, in a slot, of a generation.
export interface WorkerRecord {
  readonly key: string;
  readonly app: string;
  readonly slot: number;
  readonly generation: number;
  state: WorkerState;
  stopReason: StopReason | null;
  // Set when this worker should be replaced in place (memory limit): a fresh one starts first.
  replacing: StopReason | null;
  pid: number | null;
  readonly startedAt: number;
  readyAt: number | null;
  exitedAt: number | null;
  handle: WorkerHandle | null;
  readonly timers: Map<TimerName, () => void>;
  saidHello: boolean;
}

// A rolling reload (or an all-at-once restart) in progress.
export interface Rollout {
  readonly from: number;
  readonly to: number;
  readonly mode: 'rolling' | 'restart';
  readonly reason: string;
  readonly startedAt: number;
  readonly waiters: Waiter[];
}

// A reload asked for while another ran: merged into exactly one follow-up.
export interface PendingRollout {
  spec: AppSpec;
  mode: 'rolling' | 'restart';
  reason: string;
  readonly waiters: Waiter[];
}

// Whether the app runs, is stopping, is stopped, or gave up after a crash loop.
export type AppStatus = 'running' | 'stopping' | 'stopped' | 'fatal';

// Everything the master knows about one app.
export interface AppRuntime {
  readonly name: string;
  configFile: string;
  status: AppStatus;
  fatalReason: string | null;
  readonly specs: Map<number, AppSpec>;
  generation: number;
  lastGeneration: number;
  instances: number;
  readonly workers: WorkerRecord[];
  readonly streaks: Map<number, CrashStreak>;
  readonly restarts: Map<number, number>;
  rollout: Rollout | null;
  pending: PendingRollout | null;
  readonly stopWaiters: Waiter[];
  removeWhenStopped: boolean;
}

// A new app at generation 0, with no workers yet; its first rollout starts it.
export function createApp(name: string, configFile: string): AppRuntime {
  return {
    name,
    configFile,
    status: 'running',
    fatalReason: null,
    specs: new Map(),
    generation: 0,
    lastGeneration: 0,
    instances: 0,
    workers: [],
    streaks: new Map(),
    restarts: new Map(),
    rollout: null,
    pending: null,
    stopWaiters: [],
    removeWhenStopped: false,
  };
}

// The spec new workers start from.
export function targetSpec(app: AppRuntime): AppSpec {
  return app.specs.get(app.generation)!;
}
