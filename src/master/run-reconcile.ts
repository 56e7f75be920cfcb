// Carries out what the reconciler asks for, until it asks for nothing more.
import { reconcile, type AppView } from './reconciler.js';
import type { AppRuntime } from './app-runtime.js';
import type { MasterCore } from './core.js';
import { completeRollout, pruneSpecs } from './rollouts.js';
import { finishWorker, spawnWorker } from './worker-driver.js';

function viewOf(app: AppRuntime): AppView {
  const spec = app.specs.get(app.generation);
  return {
    status: app.status,
    generation: app.generation,
    instances: spec ? app.instances : 0,
    // The first start brings every worker up at once; surge limits reloads only.
    surge: app.rollout?.from === 0 ? Number.POSITIVE_INFINITY : Math.max(1, spec?.reload_surge ?? app.instances),
    rollout: app.rollout,
    workers: app.workers,
  };
}

// Brings one app toward its desired state; returns true when the app stopped.
export function reconcileApp(core: MasterCore, app: AppRuntime): boolean {
  for (let round = 0; round < 16; round++) {
    const actions = reconcile(viewOf(app));
    if (actions.length === 0) break;
    for (const action of actions) {
      switch (action.type) {
        case 'spawn':
          if (app.specs.has(app.generation)) spawnWorker(core, app, action.slot);
          break;
        case 'finish': {
          const w = core.workers.get(action.key);
          if (w) finishWorker(core, w, action.reason);
          break;
        }
        case 'rollout-done':
          completeRollout(core, app);
          break;
        case 'stopped':
          app.status = 'stopped';
          pruneSpecs(app);
          core.notify({ type: 'app-stopped', app: app.name });
          for (const waiter of app.stopWaiters.splice(0)) waiter({ ok: true, message: `${app.name} stopped` });
          if (app.removeWhenStopped) core.apps.delete(app.name);
          return true;
      }
    }
  }
  return false;
}
