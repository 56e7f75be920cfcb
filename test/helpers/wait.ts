// Waiting with a deadline instead of sleeping: poll a condition until it holds or time runs out.
import { setTimeout as sleep } from 'node:timers/promises';

// Polls `check` every `every` ms until it returns a truthy value; throws after `timeoutMs`.
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, every = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
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
