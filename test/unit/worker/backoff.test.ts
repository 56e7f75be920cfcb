import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onCrash, STABLE, MAX_BACKOFF_MS } from '../../../src/worker/backoff.js';

const settings = { autorestart: true, limit: 15, limitKey: 'max_restarts', restartDelayMs: null, firstDelayMs: 100 } as const;

test('backoff starts at 100 ms, doubles, and caps at 30 s', () => {
  let streak = STABLE;
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    const r = onCrash(streak, settings);
    streak = r.streak;
    assert.equal(r.verdict.kind, 'restart');
    if (r.verdict.kind === 'restart') delays.push(r.verdict.delayMs);
  }
  assert.deepEqual(delays.slice(0, 5), [100, 200, 400, 800, 1600]);
  assert.equal(Math.max(...delays), MAX_BACKOFF_MS);
});

test('more than max_restarts crashes in a row is fatal', () => {
  let streak = STABLE;
  const kinds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = onCrash(streak, { ...settings, limit: 3 });
    streak = r.streak;
    kinds.push(r.verdict.kind);
  }
  assert.deepEqual(kinds, ['restart', 'restart', 'restart', 'fatal']);
});

test('restart_delay fixes the delay; autorestart false never restarts: down once started, fatal while starting', () => {
  const fixed = onCrash({ count: 5 }, { ...settings, restartDelayMs: 250 });
  assert.deepEqual(fixed.verdict, { kind: 'restart', delayMs: 250 });
  assert.deepEqual(onCrash(STABLE, { ...settings, autorestart: false }).verdict, { kind: 'down', reason: 'crashed, and autorestart is false' });
  assert.deepEqual(onCrash(STABLE, { ...settings, autorestart: false, limitKey: 'start_retries' }).verdict, { kind: 'fatal', reason: 'crashed while the app was starting, and autorestart is false' });
});

test('the verdict names the limit that was passed: start_retries while starting, max_restarts after', () => {
  const starting = onCrash({ count: 5 }, { ...settings, limit: 5, limitKey: 'start_retries' });
  assert.deepEqual(starting.verdict, { kind: 'fatal', reason: 'failed 6 times while the app was starting (start_retries 5)' });
  const steady = onCrash({ count: 5 }, { ...settings, limit: 5 });
  assert.deepEqual(steady.verdict, { kind: 'fatal', reason: 'crashed 6 times in a row before staying up (max_restarts 5)' });
});
