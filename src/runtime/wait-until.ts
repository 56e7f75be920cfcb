// Polling with a deadline, for the few waits that have no event to wait on (a pid going away, a
// process group emptying).
import { setTimeout as sleep } from 'node:timers/promises';

// Resolves true once `check()` holds, or false after `timeoutMs`.
export async function waitUntil(check: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
