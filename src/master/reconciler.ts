// The reconciler: compares desired state with actual state and says what to do next.
// Pure: it reads a view of one app and returns actions; the master carries them out.
// A reload is just "generation += 1"; rolling falls out of the rules below.
import type { StopReason, WorkerState } from '../worker/states.js';
import { LIVE_STATES } from '../worker/states.js';
import { CONVERGING, type AppState } from './app-states.js';

// The parts of a worker the reconciler reads.
export interface WorkerView {
  readonly key: string;
  readonly slot: number;
  readonly generation: number;
  readonly state: WorkerState;
  readonly stopReason: StopReason | null;
  readonly replacing: StopReason | null;
}

// The parts of an app the reconciler reads.
export interface AppView {
  readonly state: AppState;
  readonly generation: number;
  readonly instances: number;
  readonly surge: number;
  readonly rollout: { readonly mode: 'rolling' | 'restart' } | null;
  readonly workers: readonly WorkerView[];
}

// One step the master should take.
export type ReconcileAction =
  | { type: 'spawn'; slot: number }
  | { type: 'finish'; key: string; reason: StopReason }
  // Every slot has a ready worker of the target generation and nothing is left to retire.
  | { type: 'converged' }
  // A stopping app has no worker left.
  | { type: 'stopped' };

const serving = (w: WorkerView) => (w.state === 'starting' || w.state === 'ready') && w.stopReason === null;
const fills = (w: WorkerView) => (serving(w) || w.state === 'backoff' || w.state === 'done') && w.replacing === null;
// A slot whose worker is done (a stop_exit_code, autorestart false) stays empty: it counts as settled.
const settled = (w: WorkerView) => (w.state === 'ready' && w.stopReason === null) || w.state === 'done';

// What to do now for one app. Calling it again after carrying out the actions is safe.
export function reconcile(app: AppView): ReconcileAction[] {
  if (app.state === 'stopping' || app.state === 'stopped') return reconcileStop(app);
  const actions: ReconcileAction[] = [];
  const current = (w: WorkerView) => w.generation === app.generation;
  const readyReplacement = (slot: number, key: string) =>
    app.workers.some((w) => w.key !== key && w.slot === slot && current(w) && w.state === 'ready' && w.stopReason === null && w.replacing === null);

  // Start: every slot below `instances` needs a current-generation worker.
  let startingNow = app.workers.filter((w) => current(w) && w.state === 'starting' && w.stopReason === null).length;
  const rolling = app.rollout !== null || app.workers.some((w) => w.replacing !== null);
  const limit = rolling ? app.surge : Number.POSITIVE_INFINITY;
  if (app.state !== 'fatal') {
    for (let slot = 0; slot < app.instances; slot++) {
      const inSlot = app.workers.filter((w) => w.slot === slot);
      if (inSlot.some((w) => current(w) && fills(w))) continue;
      // An all-at-once restart stops the old worker of a slot before starting the new one.
      if (app.rollout?.mode === 'restart' && inSlot.some((w) => !current(w) && LIVE_STATES.has(w.state))) continue;
      if (startingNow >= limit) break;
      actions.push({ type: 'spawn', slot });
      startingNow++;
    }
  }

  // Retire: old generations once their slot's replacement is ready; slots above `instances`.
  for (const w of app.workers) {
    if ((w.state === 'backoff' || w.state === 'done') && (!current(w) || w.slot >= app.instances)) {
      actions.push({ type: 'finish', key: w.key, reason: 'scale' });
      continue;
    }
    if (!serving(w)) continue;
    if (w.slot >= app.instances) actions.push({ type: 'finish', key: w.key, reason: 'scale' });
    else if (app.rollout?.mode === 'restart' && !current(w)) actions.push({ type: 'finish', key: w.key, reason: 'restart' });
    else if ((!current(w) || w.replacing !== null) && readyReplacement(w.slot, w.key))
      actions.push({ type: 'finish', key: w.key, reason: w.replacing ?? 'reload' });
  }

  if (CONVERGING.has(app.state) && actions.length === 0) {
    const allReady = Array.from({ length: app.instances }, (_, slot) => slot).every((slot) =>
      app.workers.some((w) => w.slot === slot && current(w) && settled(w)),
    );
    const leftOver = app.workers.some((w) => LIVE_STATES.has(w.state) && (!current(w) || w.slot >= app.instances));
    if (allReady && !leftOver) actions.push({ type: 'converged' });
  }
  return actions;
}

function reconcileStop(app: AppView): ReconcileAction[] {
  const actions: ReconcileAction[] = app.workers
    .filter((w) => serving(w) || w.state === 'backoff' || w.state === 'done')
    .map((w) => ({ type: 'finish', key: w.key, reason: 'stop' }));
  const anyLeft = app.workers.some((w) => LIVE_STATES.has(w.state) || w.state === 'backoff');
  if (!anyLeft && app.state === 'stopping') actions.push({ type: 'stopped' });
  return actions;
}
