// Rollouts as data: begin (generation += 1), queue a follow-up (a reload asked for during
// another merges into exactly one), finish (done or aborted). Called only by app-driver.ts.
import type { AppSpec } from '../config/types.js';
import { LIVE_STATES } from '../worker/states.js';
import type { AppRuntime, RollMode } from './app-runtime.js';
import type { MasterCore } from './core.js';
import { done, failed, type Waiter } from './outcome.js';
import { finishWorker, forgetWorker } from './worker-driver.js';

// What a rollout is asked to do.
export interface RolloutAsk {
  readonly spec: AppSpec;
  readonly mode: RollMode;
  readonly reason: string;
  readonly request: number | null;
  readonly waiters: readonly Waiter[];
}

// Starts a rollout of `app` to `spec`: a start when `fresh`, else a reload.
export function beginRollout(core: MasterCore, app: AppRuntime, ask: RolloutAsk & { readonly fresh: boolean }): void {
  if (ask.fresh) for (const w of app.workers.filter((x) => x.state === 'fatal')) forgetWorker(core, app, w);
  app.streaks.clear();
  // The config's count wins when it changed; a `supervisor scale` survives reloads that keep it.
  const before = app.specs.get(app.generation);
  if (before === undefined || before.instances !== ask.spec.instances) app.instances = ask.spec.instances;
  const to = ++app.lastGeneration;
  app.specs.set(to, ask.spec);
  app.rollout = { from: app.generation, to, mode: ask.mode, reason: ask.reason, startedAt: core.effects.now(), request: ask.request, fresh: ask.fresh, waiters: [...ask.waiters] };
  app.generation = to;
  app.request = ask.request;
  core.notify({ type: 'reload-started', app: app.name, from: app.rollout.from, to, mode: ask.mode, reason: ask.reason });
}

// Merges a reload asked for during a rollout into the one follow-up (the newest spec wins).
export function queueRollout(core: MasterCore, app: AppRuntime, ask: RolloutAsk): void {
  if (app.pending) {
    app.pending.spec = ask.spec;
    app.pending.reason = ask.reason;
    if (ask.mode === 'restart') app.pending.mode = 'restart';
    app.pending.waiters.push(...ask.waiters);
  } else {
    app.pending = { spec: ask.spec, mode: ask.mode, reason: ask.reason, request: ask.request, waiters: [...ask.waiters] };
  }
  core.notify({ type: 'reload-merged', app: app.name, reason: ask.reason, request: ask.request ?? undefined, into: app.pending.request ?? undefined });
}

// Ends the rollout: done (every slot has a ready worker of the new generation, no old one
// lives), or aborted (the new workers stop; the old ones that still serve keep serving).
export function finishRollout(core: MasterCore, app: AppRuntime, abortReason: string | null): void {
  const r = app.rollout!;
  app.rollout = null;
  const durationMs = core.effects.now() - r.startedAt;
  if (abortReason === null) {
    // The start's failures counted against start_retries; from now on max_restarts counts afresh.
    if (r.fresh) app.streaks.clear();
    if (r.fresh) core.notify({ type: 'app-started', app: app.name });
    else core.notify({ type: 'reload-done', app: app.name, generation: r.to, durationMs });
    const outcome = done(r.fresh ? `${app.name}: ${app.instances} worker(s) ready` : `${app.name}: generation ${r.to} ready in ${durationMs} ms`);
    for (const w of r.waiters) w(outcome);
  } else {
    app.generation = r.from;
    for (const w of [...app.workers]) {
      if (w.generation === r.to && (LIVE_STATES.has(w.state) || w.state === 'backoff')) finishWorker(core, w, 'abort');
    }
    core.notify({ type: 'reload-aborted', app: app.name, generation: r.to, reason: abortReason, durationMs });
    const outcome = failed('E_ABORTED', `${app.name}: reload to generation ${r.to} aborted: ${abortReason}; generation ${r.from} keeps serving`);
    for (const w of r.waiters) w(outcome);
  }
  pruneSpecs(app);
}

// True when a crash of this generation must abort the rollout rather than back off.
export function abortsOnFailure(app: AppRuntime, generation: number): boolean {
  const r = app.rollout;
  return r !== null && r.mode === 'rolling' && !r.fresh && generation === r.to;
}

// Forgets specs no worker and no rollout needs any more.
export function pruneSpecs(app: AppRuntime): void {
  const used = new Set([app.generation, ...app.workers.map((w) => w.generation)]);
  if (app.rollout) used.add(app.rollout.from);
  for (const gen of [...app.specs.keys()]) if (!used.has(gen)) app.specs.delete(gen);
}
