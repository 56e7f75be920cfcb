// The production effects: the wall clock, Node timers, and worker processes (worker/spawn-child.ts).
import type { MasterEffects } from './effects.js';
import { spawnWorkerProcess, type SpawnContext } from '../worker/process-handle.js';

// Real effects for a master whose sockets and users come from `ctx`.
export function realEffects(ctx: SpawnContext): MasterEffects {
  return {
    now: () => Date.now(),
    setTimer(ms, fire) {
      const t = setTimeout(fire, ms);
      return () => clearTimeout(t);
    },
    spawn: (req, cb) => spawnWorkerProcess(req, cb, ctx),
  };
}
