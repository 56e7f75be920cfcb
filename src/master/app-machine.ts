// The app lifecycle as one pure transition table: (state, event) -> (state, effects, outcome).
// Every cell is filled. app-driver.ts is its only caller and carries out the effects; the
// events come from requests (load, apply, scale, stop, shutdown) and from the reconciler and
// worker events (converged, rollout aborted, fatal, all exited).
import type { AppSpec } from '../config/types.js';
import type { CrashLimitKey } from '../worker/backoff.js';
import type { AppState } from './app-states.js';
import type { RollMode } from './app-runtime.js';
import { failed, done, type Outcome, type Waiter } from './outcome.js';

// A request's part in an event: its id (for notices) and who hears the outcome.
interface Asked { readonly request: number | null; readonly waiters: readonly Waiter[] }

// Everything that can happen to an app.
export type AppEvent =
  // A read of the app's config file began / failed / was read but could not be applied.
  | { type: 'load-requested' }
  | { type: 'load-failed' }
  | { type: 'apply-failed' }
  // The file was applied: this app rolls to a new spec, only changes its count, or stays as it is.
  | ({ type: 'applied'; change: 'roll'; spec: AppSpec; mode: RollMode; reason: string } & Asked)
  | ({ type: 'applied'; change: 'scale'; spec: AppSpec } & Asked)
  | { type: 'applied'; change: 'none' }
  | ({ type: 'scale'; instances: number } & Asked)
  // `supervisor start <app>`: a stopped or fatal app starts again from its current spec.
  | ({ type: 'start'; spec: AppSpec } & Asked)
  // `remove`: the app leaves the master once stopped (dropped from its file, or its file forgotten).
  | ({ type: 'stop'; remove: boolean } & Asked)
  | { type: 'shutdown' }
  // From the reconciler: every slot has a ready worker of the target, nothing left to retire.
  | { type: 'converged' }
  | { type: 'rollout-aborted'; reason: string }
  // A worker crashed past its limit. `evidence`: what it printed last and where its log is.
  | { type: 'fatal'; reason: string; evidence: string | null }
  // From the reconciler: a stopping app has no worker left.
  | { type: 'all-exited' };

// What app-driver.ts must do, in order.
export type AppEffect =
  | { type: 'begin-rollout'; spec: AppSpec; mode: RollMode; reason: string; request: number | null; waiters: readonly Waiter[]; fresh: boolean }
  | { type: 'queue-rollout'; spec: AppSpec; mode: RollMode; reason: string; request: number | null; waiters: readonly Waiter[] }
  // An instances-only change from the config: the target generation gets the new spec.
  | { type: 'set-spec'; spec: AppSpec }
  | { type: 'set-instances'; instances: number }
  | { type: 'wait'; on: 'rollout' | 'scale' | 'stop'; waiters: readonly Waiter[] }
  // Whoever waited for a scale now waits for the rollout that took over.
  | { type: 'scale-into-rollout' }
  | { type: 'finish-rollout'; how: 'done' } | { type: 'finish-rollout'; how: 'aborted'; reason: string }
  | { type: 'begin-pending' }
  | { type: 'settle'; who: 'rollout' | 'pending' | 'scale' | 'stop'; outcome: Outcome }
  // The request whose operation is now under way (its id tags the app's notices).
  | { type: 'tag'; request: number | null }
  | { type: 'mark-fatal'; reason: string }
  | { type: 'clear-fatal' }
  | { type: 'mark-removed' }
  | { type: 'stopped' }
  | { type: 'forget' };

// The parts of an app the machine reads.
export interface AppView {
  readonly name: string;
  readonly state: AppState;
  readonly hasPending: boolean;
  readonly removed: boolean;
  readonly fatalReason: string | null;
}

// One step: the new state, its effects, and the answer for the event's own waiters when it
// is answered at once (null when they wait for an operation, or there are none).
export interface AppTransition {
  readonly from: AppState;
  readonly to: AppState;
  readonly effects: readonly AppEffect[];
  readonly outcome: Outcome | null;
}

const go = (from: AppState, to: AppState, effects: AppEffect[] = [], outcome: Outcome | null = null): AppTransition => ({ from, to, effects, outcome });
const stay = (a: AppView, outcome: Outcome | null = null): AppTransition => go(a.state, a.state, [], outcome);
const busy = (a: AppView) => failed('E_BUSY', `app ${a.name} is ${a.state}; try again once it is started`);
const isFatal = (a: AppView) => failed('E_FATAL', `app ${a.name} is fatal: ${a.fatalReason ?? 'it crashed too often'}`);

function rolloutEnded(a: AppView, how: AppEffect & { type: 'finish-rollout' }): AppTransition {
  return a.hasPending ? go(a.state, 'rolling', [how, { type: 'begin-pending' }]) : go(a.state, 'running', [how]);
}

function stopEffects(e: Extract<AppEvent, { type: 'stop' }>, before: AppEffect[]): AppEffect[] {
  return [...before, ...(e.remove ? [{ type: 'mark-removed' } as const] : []), { type: 'tag', request: e.request }, { type: 'wait', on: 'stop', waiters: e.waiters }];
}

const aborted = (a: AppView, why: string) => failed('E_ABORTED', `${a.name}: ${why}`);
// The answer for whoever waits when the app goes fatal: what failed, and the evidence. Advice
// (reload, run again) is added where it is known to be true: by the control socket while
// the master runs, by `run` and `start` when a failed first start stops it.
const wentFatal = (a: AppView, e: Extract<AppEvent, { type: 'fatal' }>) =>
  failed('E_FATAL', `${a.state === 'starting' ? `app ${a.name} did not start` : `${a.name} is fatal`}: ${e.reason}${e.evidence ? `\n${e.evidence}` : ''}`);

// Which limit a crash counts against. While the app is starting (its first start, or a start
// after stop or fatal) it is start_retries and nothing resets the count, so a boot crash loop
// fails the start in seconds; once every worker was ready, max_restarts with min_uptime resets.
export function crashLimitOf(state: AppState): CrashLimitKey {
  return state === 'starting' ? 'start_retries' : 'max_restarts';
}
const alreadyRunning = (a: AppView) => done(`${a.name} is already running`);
const startFresh = (e: Extract<AppEvent, { type: 'start' }>): AppEffect => ({ type: 'begin-rollout', spec: e.spec, mode: 'rolling', reason: 'start', request: e.request, waiters: e.waiters, fresh: true });
const shuttingDown = failed('E_SHUTTING_DOWN', 'the master is shutting down');

// loading and running: the workers serve; a read of the config may be under way (loading).
function steady(a: AppView, e: AppEvent): AppTransition {
  switch (e.type) {
    case 'load-requested': return go(a.state, 'loading');
    case 'load-failed': case 'apply-failed': return go(a.state, 'running');
    case 'applied':
      if (e.change === 'none') return go(a.state, 'running');
      if (e.change === 'scale') return go(a.state, 'scaling', [{ type: 'set-spec', spec: e.spec }, { type: 'tag', request: e.request }, { type: 'wait', on: 'scale', waiters: e.waiters }]);
      return go(a.state, 'rolling', [{ type: 'begin-rollout', spec: e.spec, mode: e.mode, reason: e.reason, request: e.request, waiters: e.waiters, fresh: false }]);
    case 'scale': return go(a.state, 'scaling', [{ type: 'set-instances', instances: e.instances }, { type: 'tag', request: e.request }, { type: 'wait', on: 'scale', waiters: e.waiters }]);
    case 'start': return stay(a, alreadyRunning(a));
    case 'stop': return go(a.state, 'stopping', stopEffects(e, []));
    case 'shutdown': return go(a.state, 'stopping');
    case 'converged': case 'rollout-aborted': case 'all-exited': return stay(a);
    case 'fatal': return go(a.state, 'fatal', [{ type: 'mark-fatal', reason: e.reason }]);
  }
}

// starting and rolling: a rollout is under way; more reloads merge into one follow-up.
function rolling(a: AppView, e: AppEvent): AppTransition {
  switch (e.type) {
    case 'load-requested': case 'load-failed': case 'apply-failed': return stay(a);
    case 'applied':
      if (e.change === 'none') return stay(a);
      if (e.change === 'scale') return go(a.state, a.state, [{ type: 'set-spec', spec: e.spec }, { type: 'wait', on: 'rollout', waiters: e.waiters }]);
      return go(a.state, a.state, [{ type: 'queue-rollout', spec: e.spec, mode: e.mode, reason: e.reason, request: e.request, waiters: e.waiters }]);
    case 'scale': return go(a.state, a.state, [{ type: 'set-instances', instances: e.instances }, { type: 'wait', on: 'rollout', waiters: e.waiters }]);
    // A start while the app is starting hears when it has started.
    case 'start': return a.state === 'starting' ? go(a.state, a.state, [{ type: 'wait', on: 'rollout', waiters: e.waiters }]) : stay(a, alreadyRunning(a));
    case 'stop': {
      const why = aborted(a, a.state === 'starting' ? 'stopped before all workers were ready' : 'stopped during the reload');
      return go(a.state, 'stopping', stopEffects(e, [{ type: 'settle', who: 'rollout', outcome: why }, { type: 'settle', who: 'pending', outcome: why }]));
    }
    case 'shutdown': return go(a.state, 'stopping', [{ type: 'settle', who: 'rollout', outcome: shuttingDown }, { type: 'settle', who: 'pending', outcome: shuttingDown }]);
    case 'converged': return rolloutEnded(a, { type: 'finish-rollout', how: 'done' });
    case 'rollout-aborted': return a.state === 'rolling' ? rolloutEnded(a, { type: 'finish-rollout', how: 'aborted', reason: e.reason }) : stay(a);
    case 'fatal': {
      const why = wentFatal(a, e);
      return go(a.state, 'fatal', [{ type: 'mark-fatal', reason: e.reason }, { type: 'settle', who: 'rollout', outcome: why }, { type: 'settle', who: 'pending', outcome: why }]);
    }
    case 'all-exited': return stay(a);
  }
}

// scaling: workers are added or retired until the count matches.
function scaling(a: AppView, e: AppEvent): AppTransition {
  switch (e.type) {
    case 'load-requested': case 'load-failed': case 'apply-failed': return stay(a);
    case 'applied':
      if (e.change === 'none') return stay(a);
      if (e.change === 'scale') return go(a.state, 'scaling', [{ type: 'set-spec', spec: e.spec }, { type: 'wait', on: 'scale', waiters: e.waiters }]);
      return go(a.state, 'rolling', [{ type: 'begin-rollout', spec: e.spec, mode: e.mode, reason: e.reason, request: e.request, waiters: e.waiters, fresh: false }, { type: 'scale-into-rollout' }]);
    case 'scale': return go(a.state, 'scaling', [{ type: 'set-instances', instances: e.instances }, { type: 'wait', on: 'scale', waiters: e.waiters }]);
    case 'start': return stay(a, alreadyRunning(a));
    case 'stop': return go(a.state, 'stopping', stopEffects(e, [{ type: 'settle', who: 'scale', outcome: aborted(a, 'stopped while scaling') }]));
    case 'shutdown': return go(a.state, 'stopping', [{ type: 'settle', who: 'scale', outcome: shuttingDown }]);
    case 'converged': return go(a.state, 'running', [{ type: 'settle', who: 'scale', outcome: done(`${a.name}: scaled`) }]);
    case 'rollout-aborted': case 'all-exited': return stay(a);
    case 'fatal': return go(a.state, 'fatal', [{ type: 'mark-fatal', reason: e.reason }, { type: 'settle', who: 'scale', outcome: wentFatal(a, e) }]);
  }
}

function stopping(a: AppView, e: AppEvent): AppTransition {
  switch (e.type) {
    case 'applied': return e.change === 'none' ? stay(a) : stay(a, busy(a));
    case 'scale': case 'start': return stay(a, busy(a));
    case 'stop': return go(a.state, 'stopping', stopEffects(e, []));
    case 'all-exited': return go(a.state, 'stopped', [{ type: 'stopped' }, ...(a.removed ? [{ type: 'forget' } as const] : [])]);
    case 'load-requested': case 'load-failed': case 'apply-failed': case 'shutdown': case 'converged': case 'rollout-aborted': case 'fatal': return stay(a);
  }
}

function stopped(a: AppView, e: AppEvent): AppTransition {
  switch (e.type) {
    case 'applied':
      if (e.change === 'none') return stay(a);
      if (e.change === 'scale') return go(a.state, 'stopped', [{ type: 'set-spec', spec: e.spec }], done(`${a.name} is stopped; it runs ${e.spec.instances} worker(s) once started`));
      return go(a.state, 'starting', [{ type: 'begin-rollout', spec: e.spec, mode: 'rolling', reason: e.reason, request: e.request, waiters: e.waiters, fresh: true }]);
    case 'scale': return stay(a, busy(a));
    case 'start': return go(a.state, 'starting', [startFresh(e)]);
    case 'stop': return go(a.state, 'stopped', e.remove ? [{ type: 'forget' }] : [], done(`${a.name} was already stopped`));
    case 'load-requested': case 'load-failed': case 'apply-failed': case 'shutdown': case 'converged': case 'rollout-aborted': case 'fatal': case 'all-exited': return stay(a);
  }
}

function fatal(a: AppView, e: AppEvent): AppTransition {
  switch (e.type) {
    case 'applied':
      if (e.change === 'none') return stay(a);
      if (e.change === 'scale') return go(a.state, 'fatal', [{ type: 'set-spec', spec: e.spec }], isFatal(a));
      return go(a.state, 'starting', [{ type: 'clear-fatal' }, { type: 'begin-rollout', spec: e.spec, mode: 'rolling', reason: e.reason, request: e.request, waiters: e.waiters, fresh: true }]);
    case 'scale': return stay(a, isFatal(a));
    case 'start': return go(a.state, 'starting', [{ type: 'clear-fatal' }, startFresh(e)]);
    case 'stop': return go(a.state, 'stopping', stopEffects(e, [{ type: 'clear-fatal' }]));
    case 'shutdown': return go(a.state, 'stopping', [{ type: 'clear-fatal' }]);
    case 'load-requested': case 'load-failed': case 'apply-failed': case 'converged': case 'rollout-aborted': case 'fatal': case 'all-exited': return stay(a);
  }
}

// The whole table.
export function appTransition(a: AppView, e: AppEvent): AppTransition {
  switch (a.state) {
    case 'loading': case 'running': return steady(a, e);
    case 'starting': case 'rolling': return rolling(a, e);
    case 'scaling': return scaling(a, e);
    case 'stopping': return stopping(a, e);
    case 'stopped': return stopped(a, e);
    case 'fatal': return fatal(a, e);
  }
}
