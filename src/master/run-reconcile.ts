// Carries out what the reconciler asks for, until it asks for nothing more.
import { reconcile, type AppView } from './reconciler.js';
import { feedApp } from './app-driver.js';
import type { AppRuntime } from './app-runtime.js';
import type { MasterCore } from './core.js';
import { finishWorker, spawnWorker } from './worker-driver.js';
import { defaultSurge } from './cpu-budget.js';

function viewOf(app: AppRuntime): AppView {
  const spec = app.specs.get(app.generation);
  return {
    state: app.state,
    generation: app.generation,
    instances: spec ? app.instances : 0,
    // A start brings every worker up at once; surge limits reloads only (default: cpu-budget.ts).
    surge: app.rollout?.fresh ? Number.POSITIVE_INFINITY : Math.max(1, spec?.reload_surge ?? defaultSurge()),
    rollout: app.rollout,
    workers: app.workers,
  };
}

// Brings one app toward its desired state.
export function reconcileApp(core: MasterCore, app: AppRuntime): void {
  for (let round = 0; round < 16; round++) {
    const actions = reconcile(viewOf(app));
    if (actions.length === 0) return;
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
        case 'converged':
          feedApp(core, app, { type: 'converged' });
          break;
        case 'stopped':
          feedApp(core, app, { type: 'all-exited' });
          return;
      }
    }
  }
}
