// How long an orchestrator must give the master to stop or reload, derived from the config:
// systemd's TimeoutStopSec and Kubernetes' terminationGracePeriodSeconds both come from here.
import type { Config } from '../config/types.js';
import { defaultSurge } from '../master/cpu-budget.js';

// Headroom for the master's own work around the workers' time: spawning, exits, closing.
export const STOP_MARGIN_S = 10;

// The seconds budgets for one config.
export interface StopBudget {
  // The longest kill_timeout of any app, in seconds (rounded up).
  readonly killTimeoutS: number;
  // The longest listen_timeout of any app, in seconds (rounded up).
  readonly listenTimeoutS: number;
  // A graceful stop: every worker gets up to kill_timeout, all at once, then the master exits.
  readonly stopS: number;
  // A rolling reload: per batch of reload_surge workers, new ones get up to listen_timeout,
  // then old ones up to kill_timeout; apps roll side by side, so the slowest app counts.
  readonly reloadS: number;
}

// Computes the budgets; a config with no apps still gets the margin.
export function stopBudget(config: Config): StopBudget {
  const killTimeoutS = Math.ceil(Math.max(0, ...config.apps.map((a) => a.kill_timeout)) / 1000);
  const listenTimeoutS = Math.ceil(Math.max(0, ...config.apps.map((a) => a.listen_timeout)) / 1000);
  const reloadMs = Math.max(0, ...config.apps.map((a) => Math.ceil(a.instances / Math.min(Math.max(1, a.instances), a.reload_surge ?? defaultSurge())) * (a.listen_timeout + a.kill_timeout)));
  return { killTimeoutS, listenTimeoutS, stopS: killTimeoutS + STOP_MARGIN_S, reloadS: Math.ceil(reloadMs / 1000) + STOP_MARGIN_S };
}
