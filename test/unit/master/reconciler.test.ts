import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcile, type AppView, type WorkerView } from '../../../src/master/reconciler.js';

const w = (key: string, slot: number, generation: number, state: WorkerView['state'], extra: Partial<WorkerView> = {}): WorkerView =>
  ({ key, slot, generation, state, stopReason: null, replacing: null, ...extra });
const app = (workers: WorkerView[], extra: Partial<AppView> = {}): AppView =>
  ({ state: 'running', generation: 1, instances: 2, surge: 2, rollout: null, workers, ...extra });

test('empty slots get spawned', () => {
  assert.deepEqual(reconcile(app([w('a', 0, 1, 'ready')])), [{ type: 'spawn', slot: 1 }]);
});

test('a slot in backoff is not refilled until its timer ends', () => {
  assert.deepEqual(reconcile(app([w('a', 0, 1, 'ready'), w('b', 1, 1, 'backoff')])), []);
});

test('fatal apps spawn nothing', () => {
  assert.deepEqual(reconcile(app([], { state: 'fatal' })), []);
});

test('an old worker retires only once its slot has a ready replacement', () => {
  const view = app([w('o0', 0, 1, 'ready'), w('o1', 1, 1, 'ready'), w('n0', 0, 2, 'ready'), w('n1', 1, 2, 'starting')], { generation: 2, rollout: { mode: 'rolling' } });
  assert.deepEqual(reconcile(view), [{ type: 'finish', key: 'o0', reason: 'reload' }]);
});

test('a rollout converges when every slot is ready in the new generation and no old worker lives', () => {
  const view = app([w('n0', 0, 2, 'ready'), w('n1', 1, 2, 'ready'), w('o1', 1, 1, 'draining', { stopReason: 'reload' })], { state: 'rolling', generation: 2, rollout: { mode: 'rolling' } });
  assert.deepEqual(reconcile(view), []);
  const done = app([w('n0', 0, 2, 'ready'), w('n1', 1, 2, 'ready')], { state: 'rolling', generation: 2, rollout: { mode: 'rolling' } });
  assert.deepEqual(reconcile(done), [{ type: 'converged' }]);
  assert.deepEqual(reconcile({ ...done, state: 'running' }), [], 'a running app has nothing to converge to');
});

test('scaling converges once the count matches and the retired workers are gone', () => {
  const down = app([w('a', 0, 1, 'ready'), w('b', 1, 1, 'draining', { stopReason: 'scale' })], { state: 'scaling', instances: 1 });
  assert.deepEqual(reconcile(down), [], 'not while a retired worker still drains');
  assert.deepEqual(reconcile(app([w('a', 0, 1, 'ready')], { state: 'scaling', instances: 1 })), [{ type: 'converged' }]);
  assert.deepEqual(reconcile(app([w('a', 0, 1, 'ready'), w('b', 1, 1, 'starting')], { state: 'scaling' })), [], 'not before the new worker is ready');
});

test('surge limits how many new workers start at once', () => {
  const view = app([w('o0', 0, 1, 'ready'), w('o1', 1, 1, 'ready')], { generation: 2, surge: 1, rollout: { mode: 'rolling' } });
  assert.deepEqual(reconcile(view), [{ type: 'spawn', slot: 0 }]);
});

test('a restart stops the old worker of a slot before starting the new one', () => {
  const view = app([w('o0', 0, 1, 'ready'), w('o1', 1, 1, 'draining', { stopReason: 'restart' })], { generation: 2, rollout: { mode: 'restart' } });
  assert.deepEqual(reconcile(view), [{ type: 'finish', key: 'o0', reason: 'restart' }]);
});

test('slots above instances retire', () => {
  assert.deepEqual(reconcile(app([w('a', 0, 1, 'ready'), w('b', 1, 1, 'ready'), w('c', 2, 1, 'ready')])), [{ type: 'finish', key: 'c', reason: 'scale' }]);
});

test('a worker marked for replacement gets a fresh one first, then retires', () => {
  const marked = app([w('a', 0, 1, 'ready', { replacing: 'memory' }), w('b', 1, 1, 'ready')]);
  assert.deepEqual(reconcile(marked), [{ type: 'spawn', slot: 0 }]);
  const replaced = app([w('a', 0, 1, 'ready', { replacing: 'memory' }), w('a2', 0, 1, 'ready'), w('b', 1, 1, 'ready')]);
  assert.deepEqual(reconcile(replaced), [{ type: 'finish', key: 'a', reason: 'memory' }]);
});

test('stopping finishes everything and reports stopped once nothing lives', () => {
  assert.deepEqual(reconcile(app([w('a', 0, 1, 'ready'), w('b', 1, 1, 'backoff')], { state: 'stopping' })), [
    { type: 'finish', key: 'a', reason: 'stop' },
    { type: 'finish', key: 'b', reason: 'stop' },
  ]);
  assert.deepEqual(reconcile(app([], { state: 'stopping' })), [{ type: 'stopped' }]);
});
