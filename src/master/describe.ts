// The `describe` control verb: one app in full, for `supervisor describe <app>`: its spec (env
// variable names, never their values), config file, state, workers with pids and restarts,
// the last worker exit and its reason, and the log files. The last exits are kept from the
// master's notices, one per app.
import type { AppSpec } from '../config/types.js';
import { appLogPath } from './app-logs.js';
import { combinedLogPath } from './log-extras.js';
import type { ControlHandler } from './control-server.js';
import type { Master } from './master.js';

// How a worker last ended, as `describe` shows it.
export interface LastExit { readonly worker: number; readonly generation: number; readonly code: number | null; readonly signal: string | null; readonly outcome: string; readonly reason: string | null; readonly at: string; readonly error?: string }

// The spec as shown: env values replaced by the sorted variable names.
export type DescribedSpec = Omit<AppSpec, 'env' | 'listen'> & { readonly env_names: readonly string[]; readonly listen: readonly string[] };

// Apps remembered at most (a master with more app names than this forgets the oldest exits).
const MAX_APPS = 1000;

// The `describe` handler for `master`, whose default logs live in `logsDir`.
export function describeHandler(master: Master, logsDir: string): { readonly handler: ControlHandler; stop(): void } {
  const exits = new Map<string, LastExit>();
  const unsubscribe = master.observe((n) => {
    if (n.type !== 'worker-exit') return;
    exits.delete(n.worker.app);
    exits.set(n.worker.app, { worker: n.worker.slot, generation: n.worker.generation, code: n.code, signal: n.signal, outcome: n.outcome, reason: n.stopReason, at: new Date().toISOString(), ...(n.error === undefined ? {} : { error: n.error }) });
    if (exits.size > MAX_APPS) exits.delete(exits.keys().next().value!);
  });
  const handler: ControlHandler = async (req) => {
    const name = typeof req.args.app === 'string' ? req.args.app : '';
    const report = await master.status();
    const app = report.apps.find((a) => a.name === name);
    const spec = master.specOf(name);
    if (!app || !spec) return { ok: false, code: 'E_UNKNOWN_APP', message: `unknown app "${name}"` };
    const { env, listen, ...rest } = spec;
    const described: DescribedSpec = { ...rest, env_names: Object.keys(env).sort(), listen: listen.map((l) => l.text) };
    const combined = combinedLogPath(spec, logsDir, name);
    return {
      ok: true,
      data: {
        app,
        spec: described,
        last_exit: exits.get(name) ?? null,
        logs: { out: appLogPath(master, logsDir, name, 'stdout'), error: appLogPath(master, logsDir, name, 'stderr'), combined },
      },
    };
  };
  return { handler, stop: unsubscribe };
}
