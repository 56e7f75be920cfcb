// Waiting with a deadline instead of sleeping: poll a condition until it holds, time runs out,
// or the test ends (then the wait stops at once instead of running on behind the next test).
import { setTimeout as sleep } from 'node:timers/promises';
import { testSignal } from './harness.js';

// Polls `check` every `every` ms until it returns a truthy value; throws after `timeoutMs`.
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, every = 25): Promise<NonNullable<T>> {
  const signal = testSignal();
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (signal.aborted) throw new Error(`the test ended while waiting for ${what}`);
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(every);
  }
}
