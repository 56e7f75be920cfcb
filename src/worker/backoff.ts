// The crash policy: exponential backoff per slot, and "fatal" after too many unstable restarts.
// A worker that stayed up for min_uptime resets its slot's streak (PM2's unstable restarts,
// OTP's intensity, Kubernetes' CrashLoopBackOff).
import type { RestartVerdict } from './states.js';

// The cap on any backoff delay.
export const MAX_BACKOFF_MS = 30_000;

// The app settings the policy reads.
export interface BackoffSettings {
  readonly autorestart: boolean;
  readonly maxRestarts: number;
  readonly restartDelayMs: number | null;
  readonly firstDelayMs: number;
}

// One slot's crash streak: how many unstable crashes in a row.
export interface CrashStreak { readonly count: number }

// The verdict for a crash, and the streak after it.
export function onCrash(streak: CrashStreak, s: BackoffSettings): { verdict: RestartVerdict; streak: CrashStreak } {
  const count = streak.count + 1;
  if (!s.autorestart) return { verdict: { kind: 'none' }, streak: { count } };
  if (count > s.maxRestarts) {
    return { verdict: { kind: 'fatal', reason: `crashed ${count} times in a row before staying up (max_restarts ${s.maxRestarts})` }, streak: { count } };
  }
  const delayMs = s.restartDelayMs ?? Math.min(MAX_BACKOFF_MS, s.firstDelayMs * 2 ** (count - 1));
  return { verdict: { kind: 'restart', delayMs }, streak: { count } };
}

// The streak after a worker stayed up for min_uptime.
export const STABLE: CrashStreak = { count: 0 };
