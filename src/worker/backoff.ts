// The crash policy: exponential backoff per slot, and "fatal" after too many unstable restarts.
// A worker that stayed up for min_uptime resets its slot's streak (PM2's unstable restarts,
// OTP's intensity, Kubernetes' CrashLoopBackOff). While an app is starting, a smaller limit
// applies and nothing resets it (supervisord's startretries): a start fails fast.
import type { RestartVerdict } from './states.js';

// The cap on any backoff delay.
export const MAX_BACKOFF_MS = 30_000;

// Which limit a crash counts against: start_retries while the app is starting, then max_restarts.
export type CrashLimitKey = 'start_retries' | 'max_restarts';

// The app settings the policy reads.
export interface BackoffSettings {
  readonly autorestart: boolean;
  // Restarts allowed before the next crash is fatal, and the key that set the number.
  readonly limit: number;
  readonly limitKey: CrashLimitKey;
  readonly restartDelayMs: number | null;
  readonly firstDelayMs: number;
}

// One slot's crash streak: how many unstable crashes in a row.
export interface CrashStreak { readonly count: number }

// The verdict for a crash, and the streak after it.
export function onCrash(streak: CrashStreak, s: BackoffSettings): { verdict: RestartVerdict; streak: CrashStreak } {
  const count = streak.count + 1;
  // Not restarting must not leave the slot to be refilled at once by the reconciler (a spawn
  // loop with no backoff). While the app starts, the start fails (fail fast, with the cause);
  // later the worker stays down in its slot and the app's other workers keep running, as PM2's.
  if (!s.autorestart) {
    return s.limitKey === 'start_retries'
      ? { verdict: { kind: 'fatal', reason: 'crashed while the app was starting, and autorestart is false' }, streak: { count } }
      : { verdict: { kind: 'down', reason: 'crashed, and autorestart is false' }, streak: { count } };
  }
  if (count > s.limit) {
    const reason = s.limitKey === 'start_retries'
      ? `failed ${count} times while the app was starting (start_retries ${s.limit})`
      : `crashed ${count} times in a row before staying up (max_restarts ${s.limit})`;
    return { verdict: { kind: 'fatal', reason }, streak: { count } };
  }
  const delayMs = s.restartDelayMs ?? Math.min(MAX_BACKOFF_MS, s.firstDelayMs * 2 ** (count - 1));
  return { verdict: { kind: 'restart', delayMs }, streak: { count } };
}

// The streak after a worker stayed up for min_uptime.
export const STABLE: CrashStreak = { count: 0 };
