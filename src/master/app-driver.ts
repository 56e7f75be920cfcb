// Feeds events to an app's machine and carries out the effects it returns. The one writer
// of app-level state: state, instances, specs of the target generation, rollouts, waiters.
import { appTransition, type AppEffect, type AppEvent, type AppTransition } from './app-machine.js';
import type { AppRuntime } from './app-runtime.js';
import { CONVERGING } from './app-states.js';
import type { MasterCore } from './core.js';
import { done, type Outcome, type Waiter } from './outcome.js';
import { beginRollout, finishRollout, pruneSpecs, queueRollout } from './rollouts.js';

const settleAll = (waiters: readonly Waiter[], outcome: Outcome) => {
  for (const w of waiters) w(outcome);
};

function settle(app: AppRuntime, who: 'rollout' | 'pending' | 'scale' | 'stop', outcome: Outcome): void {
  if (who === 'rollout') {
    const waiters = app.rollout?.waiters ?? [];
    app.rollout = null;
    settleAll(waiters, outcome);
  } else if (who === 'pending') {
    const waiters = app.pending?.waiters ?? [];
    app.pending = null;
    settleAll(waiters, outcome);
  } else {
    settleAll((who === 'scale' ? app.scaleWaiters : app.stopWaiters).splice(0), outcome);
  }
}

function apply(core: MasterCore, app: AppRuntime, e: AppEffect): void {
  switch (e.type) {
    case 'begin-rollout':
      return beginRollout(core, app, e);
    case 'queue-rollout':
      return queueRollout(core, app, e);
    case 'set-spec': {
      app.specs.set(app.generation, e.spec);
      return apply(core, app, { type: 'set-instances', instances: e.spec.instances });
    }
    case 'set-instances': {
      const from = app.instances;
      app.instances = e.instances;
      if (from !== e.instances) core.notify({ type: 'app-scaled', app: app.name, from, to: e.instances });
      return;
    }
    case 'wait':
      if (e.on === 'rollout') app.rollout?.waiters.push(...e.waiters);
      else (e.on === 'scale' ? app.scaleWaiters : app.stopWaiters).push(...e.waiters);
      return;
    case 'scale-into-rollout':
      app.rollout?.waiters.push(...app.scaleWaiters.splice(0));
      return;
    case 'finish-rollout':
      return finishRollout(core, app, e.how === 'done' ? null : e.reason);
    case 'begin-pending': {
      const p = app.pending!;
      app.pending = null;
      return beginRollout(core, app, { ...p, fresh: false });
    }
    case 'settle':
      return settle(app, e.who, e.outcome);
    case 'tag':
      app.request = e.request;
      return;
    case 'mark-fatal':
      app.fatalReason = e.reason;
      core.notify({ type: 'app-fatal', app: app.name, reason: e.reason });
      return;
    case 'clear-fatal':
      app.fatalReason = null;
      return;
    case 'mark-removed':
      app.removeWhenStopped = true;
      return;
    case 'stopped':
      pruneSpecs(app);
      core.notify({ type: 'app-stopped', app: app.name });
      settle(app, 'stop', done(`${app.name} stopped`));
      return;
    case 'forget':
      if (core.apps.get(app.name) === app) core.apps.delete(app.name);
      return;
  }
}

// Feeds one event to the app's machine and carries out the transition.
export function feedApp(core: MasterCore, app: AppRuntime, event: AppEvent): AppTransition {
  const t = appTransition({ name: app.name, state: app.state, hasPending: app.pending !== null, removed: app.removeWhenStopped, fatalReason: app.fatalReason }, event);
  app.state = t.to;
  for (const effect of t.effects) apply(core, app, effect);
  if (t.outcome && 'waiters' in event) settleAll(event.waiters, t.outcome);
  if (!CONVERGING.has(t.to) && t.to !== 'stopping') app.request = null;
  return t;
}
