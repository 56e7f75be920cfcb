// The worker lifecycle as one pure transition table: (state, event) -> (state, effects).
// Only this function changes a worker's state; the master carries out the effects and
// feeds logs and metrics from the transitions it returns (s6 / supervisord style).
import type { RestartVerdict, StopReason, TimerName, WorkerState } from './states.js';

// Everything that can happen to a worker.
export type LifecycleEvent =
  | { type: 'ready' }
  | { type: 'timer'; timer: TimerName }
  | { type: 'finish'; reason: StopReason }
  | { type: 'kill'; reason: StopReason }
  | { type: 'exit'; code: number | null; signal: string | null; verdict: RestartVerdict };

// What the master must do as a result of a transition.
export type LifecycleEffect =
  | { type: 'send-finish' }
  | { type: 'sigkill' }
  | { type: 'arm'; timer: TimerName; ms: number }
  | { type: 'disarm'; timer: TimerName };

// How an exit was classified: expected (asked to stop), done (a stop_exit_code), or crash.
export type ExitOutcome = 'expected' | 'done' | 'crash';

// The part of a worker the machine reads.
export interface LifecycleView {
  readonly state: WorkerState;
  readonly stopReason: StopReason | null;
}

// The per-app settings the machine needs.
export interface LifecycleSettings {
  readonly waitReady: boolean;
  readonly listenTimeoutMs: number;
  readonly minUptimeMs: number;
  readonly killTimeoutMs: number;
  readonly stopExitCodes: readonly number[];
  // With autorestart false an exit with code 0 is done too (a one-shot job), as under PM2.
  readonly autorestart: boolean;
}

// The result of one step: the new state and its effects, plus labels for logs and metrics.
export interface Transition {
  readonly from: WorkerState;
  readonly to: WorkerState;
  readonly effects: readonly LifecycleEffect[];
  readonly stopReason: StopReason | null;
  readonly outcome?: ExitOutcome;
  // Set when this step marks the worker stable (up for min_uptime).
  readonly stable?: boolean;
  // Set when the kill timer fired and the worker got SIGKILL.
  readonly killedAfterTimeout?: boolean;
  // Set when a new worker missed its readiness deadline.
  readonly readyTimedOut?: boolean;
}

// The timers a freshly spawned worker starts with.
export function initialEffects(s: LifecycleSettings): LifecycleEffect[] {
  const effects: LifecycleEffect[] = [{ type: 'arm', timer: 'uptime', ms: s.minUptimeMs }];
  if (s.waitReady) effects.push({ type: 'arm', timer: 'ready', ms: s.listenTimeoutMs });
  return effects;
}

const stay = (w: LifecycleView): Transition => ({ from: w.state, to: w.state, effects: [], stopReason: w.stopReason });

function toDraining(w: LifecycleView, reason: StopReason, s: LifecycleSettings): Transition {
  return {
    from: w.state,
    to: 'draining',
    stopReason: reason,
    effects: [{ type: 'disarm', timer: 'ready' }, { type: 'send-finish' }, { type: 'arm', timer: 'kill', ms: s.killTimeoutMs }],
  };
}

function toStopping(w: LifecycleView, reason: StopReason): Transition {
  return { from: w.state, to: 'stopping', stopReason: reason, effects: [{ type: 'disarm', timer: 'ready' }, { type: 'disarm', timer: 'kill' }, { type: 'sigkill' }] };
}

const ALL_TIMERS: readonly TimerName[] = ['ready', 'uptime', 'kill', 'backoff'];
const disarmAll = (): LifecycleEffect[] => ALL_TIMERS.map((timer) => ({ type: 'disarm', timer }));

function onExit(w: LifecycleView, e: Extract<LifecycleEvent, { type: 'exit' }>, s: LifecycleSettings): Transition {
  const base = { from: w.state, stopReason: w.stopReason, effects: disarmAll() };
  // A worker stopped for missing its readiness deadline failed; it backs off like a crash.
  if (w.stopReason !== null && w.stopReason !== 'ready-timeout') return { ...base, to: 'exited', outcome: 'expected' };
  if (e.code !== null && (s.stopExitCodes.includes(e.code) || (!s.autorestart && e.code === 0))) return { ...base, to: 'done', outcome: 'done' };
  const v = e.verdict;
  if (v.kind === 'restart') return { ...base, to: 'backoff', outcome: 'crash', effects: [...disarmAll(), { type: 'arm', timer: 'backoff', ms: v.delayMs }] };
  return { ...base, to: v.kind === 'fatal' ? 'fatal' : v.kind === 'down' ? 'done' : 'exited', outcome: 'crash' };
}

// The whole table. Events that make no sense in a state leave it unchanged.
export function transition(w: LifecycleView, e: LifecycleEvent, s: LifecycleSettings): Transition {
  switch (w.state) {
    case 'starting':
      if (e.type === 'ready') return { from: 'starting', to: 'ready', stopReason: null, effects: [{ type: 'disarm', timer: 'ready' }] };
      if (e.type === 'timer' && e.timer === 'uptime')
        return s.waitReady ? { ...stay(w), stable: true } : { from: 'starting', to: 'ready', stopReason: null, effects: [], stable: true };
      if (e.type === 'timer' && e.timer === 'ready') return { ...toDraining(w, 'ready-timeout', s), readyTimedOut: true };
      if (e.type === 'finish') return toDraining(w, e.reason, s);
      if (e.type === 'kill') return toStopping(w, e.reason);
      if (e.type === 'exit') return onExit(w, e, s);
      return stay(w);
    case 'ready':
      if (e.type === 'timer' && e.timer === 'uptime') return { ...stay(w), stable: true };
      if (e.type === 'finish') return toDraining(w, e.reason, s);
      if (e.type === 'kill') return toStopping(w, e.reason);
      if (e.type === 'exit') return onExit(w, e, s);
      return stay(w);
    case 'draining':
      if (e.type === 'timer' && e.timer === 'kill') return { ...toStopping(w, w.stopReason ?? 'stop'), killedAfterTimeout: true };
      if (e.type === 'kill') return toStopping(w, w.stopReason ?? e.reason);
      if (e.type === 'exit') return onExit(w, e, s);
      return stay(w);
    case 'stopping':
      if (e.type === 'exit') return onExit(w, e, s);
      return stay(w);
    case 'backoff':
      if (e.type === 'timer' && e.timer === 'backoff') return { from: 'backoff', to: 'exited', stopReason: null, effects: [] };
      if (e.type === 'finish' || e.type === 'kill') return { from: 'backoff', to: 'exited', stopReason: e.reason, effects: [{ type: 'disarm', timer: 'backoff' }] };
      return stay(w);
    case 'done':
      // No process: a stop, a scale-down or the next generation retires the record at once.
      if (e.type === 'finish' || e.type === 'kill') return { from: 'done', to: 'exited', stopReason: e.reason, effects: [] };
      return stay(w);
    case 'exited':
    case 'fatal':
      return stay(w);
  }
}
