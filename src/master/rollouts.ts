// Rolling reloads as data: begin (generation += 1), complete, abort, and merge a reload
// asked for during another into exactly one follow-up.
import type { AppSpec } from '../config/types.js';
import { LIVE_STATES } from '../worker/states.js';
import type { AppRuntime, OutcomeReport, Waiter } from './app-runtime.js';
import type { MasterCore } from './core.js';
import { finishWorker, forgetWorker } from './worker-driver.js';

function settle(waiters: readonly Waiter[], report: OutcomeReport): void {
  for (const w of waiters) w(report);
}

// Starts a reload (or the first start, from generation 0) of `app` to `spec`.
export function beginRollout(core: MasterCore, app: AppRuntime, spec: AppSpec, mode: 'rolling' | 'restart', reason: string, waiters: Waiter[]): void {
  if (app.status === 'stopping' || app.status === 'stopped') {
    settle(waiters, { ok: false, message: `app ${app.name} is stopping` });
    return;
  }
  if (app.rollout) {
    if (app.pending) {
      app.pending.spec = spec;
      app.pending.reason = reason;
      if (mode === 'restart') app.pending.mode = 'restart';
      app.pending.waiters.push(...waiters);
    } else {
      app.pending = { spec, mode, reason, waiters: [...waiters] };
    }
    core.notify({ type: 'reload-merged', app: app.name, reason });
    return;
  }
  if (app.status === 'fatal') {
    app.status = 'running';
    app.fatalReason = null;
    for (const w of app.workers.filter((x) => x.state === 'fatal')) forgetWorker(core, app, w);
  }
  app.streaks.clear();
  const to = ++app.lastGeneration;
  app.specs.set(to, spec);
  app.rollout = { from: app.generation, to, mode, reason, startedAt: core.effects.now(), waiters: [...waiters] };
  app.generation = to;
  core.notify({ type: 'reload-started', app: app.name, from: app.rollout.from, to, mode, reason });
}

function next(core: MasterCore, app: AppRuntime): void {
  const pending = app.pending;
  app.pending = null;
  if (pending) beginRollout(core, app, pending.spec, pending.mode, pending.reason, pending.waiters);
  pruneSpecs(app);
}

// Marks the rollout done: every slot has a ready worker of the new generation and no old one lives.
export function completeRollout(core: MasterCore, app: AppRuntime): void {
  const r = app.rollout!;
  app.rollout = null;
  const durationMs = core.effects.now() - r.startedAt;
  if (r.from === 0) core.notify({ type: 'app-started', app: app.name });
  else core.notify({ type: 'reload-done', app: app.name, generation: r.to, durationMs });
  settle(r.waiters, { ok: true, message: r.from === 0 ? `${app.name}: ${app.instances} worker(s) ready` : `${app.name}: generation ${r.to} ready in ${durationMs} ms` });
  next(core, app);
}

// True when a crash of this generation must abort the rollout rather than back off.
export function abortsOnFailure(app: AppRuntime, generation: number): boolean {
  const r = app.rollout;
  return r !== null && r.mode === 'rolling' && r.from !== 0 && generation === r.to;
}

// Aborts a rolling reload: the new workers stop, the old ones that still serve keep serving.
export function abortRollout(core: MasterCore, app: AppRuntime, reason: string): void {
  const r = app.rollout!;
  app.rollout = null;
  app.generation = r.from;
  for (const w of [...app.workers]) {
    if (w.generation !== r.to) continue;
    if (LIVE_STATES.has(w.state) || w.state === 'backoff') finishWorker(core, w, 'abort');
  }
  const durationMs = core.effects.now() - r.startedAt;
  core.notify({ type: 'reload-aborted', app: app.name, generation: r.to, reason, durationMs });
  settle(r.waiters, { ok: false, message: `${app.name}: reload to generation ${r.to} aborted: ${reason}; generation ${r.from} keeps serving` });
  next(core, app);
}

// Fails a start whose app went fatal, and any follow-up.
export function failRollouts(app: AppRuntime, message: string): void {
  const waiters = [...(app.rollout?.waiters ?? []), ...(app.pending?.waiters ?? [])];
  app.rollout = null;
  app.pending = null;
  settle(waiters, { ok: false, message });
}

// Forgets specs no worker and no rollout needs any more.
export function pruneSpecs(app: AppRuntime): void {
  const used = new Set([app.generation, ...app.workers.map((w) => w.generation)]);
  if (app.rollout) used.add(app.rollout.from);
  for (const gen of [...app.specs.keys()]) if (!used.has(gen)) app.specs.delete(gen);
}
