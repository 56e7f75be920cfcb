// withDeadline: the value of the work when it is in time, else what `late` returns or throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDeadline } from '../../../src/master/deadline.js';

test('in time: the work\'s value; late: the fallback, or its error; the timer never outlives the race', async () => {
  assert.equal(await withDeadline(Promise.resolve(1), 1000, () => 2), 1);
  assert.equal(await withDeadline(new Promise<number>(() => {}), 20, () => 2), 2);
  await assert.rejects(withDeadline(new Promise<number>(() => {}), 20, () => {
    throw new Error('too slow');
  }), /too slow/);
  await assert.rejects(withDeadline(Promise.reject(new Error('failed')), 1000, () => 2), /failed/);
});
