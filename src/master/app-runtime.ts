// The master's model of one app: desired state (generation, instances, specs) kept apart
// from actual state (worker records), as runit's want/state and gunicorn's manage_workers do.
// Only app-driver.ts writes the app-level fields (state, instances, rollouts, waiters).
import type { AppSpec } from '../config/types.js';
import type { CrashStreak } from '../worker/backoff.js';
import type { StopReason, TimerName, WorkerState } from '../worker/states.js';
import type { AppState } from './app-states.js';
import type { WorkerHandle } from './effects.js';
import type { Waiter } from './outcome.js';
import type { StderrTail } from './stderr-tail.js';

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
  // Its last stderr lines, for the message of a failed start.
  readonly stderr: StderrTail;
}

// How a rollout replaces workers: new first (rolling), or all at once (restart).
export type RollMode = 'rolling' | 'restart';

// A rolling reload (or an all-at-once restart, or a start) in progress.
export interface Rollout {
  readonly from: number;
  readonly to: number;
  readonly mode: RollMode;
  readonly reason: string;
  readonly startedAt: number;
  // The request that began it; its notices carry this id.
  readonly request: number | null;
  // A start (from nothing, or from fatal): crashes back off instead of aborting it.
  readonly fresh: boolean;
  readonly waiters: Waiter[];
}

// A reload asked for while another ran: merged into exactly one follow-up.
export interface PendingRollout {
  spec: AppSpec;
  mode: RollMode;
  reason: string;
  readonly request: number | null;
  readonly waiters: Waiter[];
}

// Everything the master knows about one app.
export interface AppRuntime {
  readonly name: string;
  readonly configFile: string;
  state: AppState;
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
  readonly scaleWaiters: Waiter[];
  readonly stopWaiters: Waiter[];
  removeWhenStopped: boolean;
  // The request whose operation (start, reload, scale, stop) is under way; tags notices.
  request: number | null;
}

// A new app at generation 0, stopped, with no workers; being applied starts it.
export function createApp(name: string, configFile: string): AppRuntime {
  return {
    name,
    configFile,
    state: 'stopped',
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
    scaleWaiters: [],
    stopWaiters: [],
    removeWhenStopped: false,
    request: null,
  };
}

// The spec new workers start from.
export function targetSpec(app: AppRuntime): AppSpec {
  return app.specs.get(app.generation)!;
}
