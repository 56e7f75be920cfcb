// The environment a worker starts with: the master's own, minus our internal variables,
// plus the app's env and the documented SUPERVISOR_* variables (and PM2's instance_var and
// increment_var).
import type { AppSpec } from '../config/types.js';
import { ENV_APP, ENV_GENERATION, ENV_PM2_INSTANCE, ENV_READY_FD, ENV_WORKER_ID, INTERNAL_ENV_PREFIX } from '../protocol/env.js';

// Variables of the master's environment that must never reach a worker.
const STRIPPED = [/^SUPERVISOR_INTERNAL_/, /^NODE_CHANNEL_/, /^LISTEN_(FDS|PID|FDNAMES)$/, /^NOTIFY_SOCKET$/, /^SUPERVISOR_(APP|WORKER_ID|GENERATION|READY_FD|CLUSTER)$/];

// Builds the env for one worker.
export function workerEnv(
  base: NodeJS.ProcessEnv,
  spec: AppSpec,
  slot: number,
  generation: number,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && !STRIPPED.some((re) => re.test(k)) && !k.startsWith(INTERNAL_ENV_PREFIX)) env[k] = v;
  }
  Object.assign(env, spec.env, extra);
  env[ENV_APP] = spec.name;
  env[ENV_WORKER_ID] = String(slot);
  env[ENV_GENERATION] = String(generation);
  // PM2's instance_var renames NODE_APP_INSTANCE; increment_var counts up from the app's value.
  env[spec.instance_var || ENV_PM2_INSTANCE] = String(slot);
  if (spec.increment_var !== null) env[spec.increment_var] = String((Number(spec.env[spec.increment_var]) || 0) + slot);
  return env;
}

// Re-exported for the spawner, which knows the fd number.
export { ENV_READY_FD };
