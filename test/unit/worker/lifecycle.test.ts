import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialEffects, transition, type LifecycleSettings } from '../../../src/worker/lifecycle.js';
import type { WorkerState, StopReason } from '../../../src/worker/states.js';

const s: LifecycleSettings = { waitReady: true, listenTimeoutMs: 5000, minUptimeMs: 1000, killTimeoutMs: 3000, stopExitCodes: [0], autorestart: true };
const w = (state: WorkerState, stopReason: StopReason | null = null) => ({ state, stopReason });
const restart = { kind: 'restart', delayMs: 100 } as const;

test('a new worker arms the uptime timer, and the ready deadline when wait_ready', () => {
  assert.deepEqual(initialEffects(s), [{ type: 'arm', timer: 'uptime', ms: 1000 }, { type: 'arm', timer: 'ready', ms: 5000 }]);
  assert.deepEqual(initialEffects({ ...s, waitReady: false }), [{ type: 'arm', timer: 'uptime', ms: 1000 }]);
});

test('starting -> ready on the ready signal, disarming the deadline', () => {
  const t = transition(w('starting'), { type: 'ready' }, s);
  assert.equal(t.to, 'ready');
  assert.deepEqual(t.effects, [{ type: 'disarm', timer: 'ready' }]);
});

test('without wait_ready, staying up min_uptime makes a worker ready and stable', () => {
  const t = transition(w('starting'), { type: 'timer', timer: 'uptime' }, { ...s, waitReady: false });
  assert.equal(t.to, 'ready');
  assert.equal(t.stable, true);
  const u = transition(w('starting'), { type: 'timer', timer: 'uptime' }, s);
  assert.equal(u.to, 'starting', 'with wait_ready, uptime alone is not readiness');
});

test('missing the ready deadline drains the worker and is flagged', () => {
  const t = transition(w('starting'), { type: 'timer', timer: 'ready' }, s);
  assert.equal(t.to, 'draining');
  assert.equal(t.readyTimedOut, true);
  assert.equal(t.stopReason, 'ready-timeout');
});

test('finish-and-exit sends the request and arms the kill timer', () => {
  const t = transition(w('ready'), { type: 'finish', reason: 'reload' }, s);
  assert.equal(t.to, 'draining');
  assert.equal(t.stopReason, 'reload');
  assert.deepEqual(t.effects, [{ type: 'disarm', timer: 'ready' }, { type: 'send-finish' }, { type: 'arm', timer: 'kill', ms: 3000 }]);
});

test('the kill timer sends SIGKILL and is flagged', () => {
  const t = transition(w('draining', 'reload'), { type: 'timer', timer: 'kill' }, s);
  assert.equal(t.to, 'stopping');
  assert.equal(t.killedAfterTimeout, true);
  assert.ok(t.effects.some((e) => e.type === 'sigkill'));
});

test('an exit after finish-and-exit is expected, never a crash, whatever the code', () => {
  for (const state of ['draining', 'stopping'] as const) {
    const t = transition(w(state, 'reload'), { type: 'exit', code: 137, signal: 'SIGKILL', verdict: restart }, s);
    assert.equal(t.to, 'exited');
    assert.equal(t.outcome, 'expected');
  }
});

test('an unexpected exit is a crash and follows the verdict', () => {
  const r = transition(w('ready'), { type: 'exit', code: 1, signal: null, verdict: restart }, s);
  assert.equal(r.to, 'backoff');
  assert.equal(r.outcome, 'crash');
  assert.ok(r.effects.some((e) => e.type === 'arm' && e.timer === 'backoff' && e.ms === 100));
  const f = transition(w('starting'), { type: 'exit', code: 1, signal: null, verdict: { kind: 'fatal', reason: 'x' } }, s);
  assert.equal(f.to, 'fatal');
  const n = transition(w('ready'), { type: 'exit', code: 1, signal: null, verdict: { kind: 'none' } }, s);
  assert.equal(n.to, 'exited');
  assert.equal(n.outcome, 'crash');
});

test('an exit code listed in stop_exit_codes is done, not a crash: the worker stays down in its slot', () => {
  const t = transition(w('ready'), { type: 'exit', code: 0, signal: null, verdict: restart }, s);
  assert.equal(t.outcome, 'done');
  assert.equal(t.to, 'done');
});

test('with autorestart false, exit 0 is done and a crash judged "down" stays down; a stop retires the record', () => {
  const noRestart = { ...s, stopExitCodes: [], autorestart: false };
  const zero = transition(w('ready'), { type: 'exit', code: 0, signal: null, verdict: { kind: 'down', reason: 'x' } }, noRestart);
  assert.deepEqual([zero.to, zero.outcome], ['done', 'done']);
  const crash = transition(w('ready'), { type: 'exit', code: 3, signal: null, verdict: { kind: 'down', reason: 'x' } }, noRestart);
  assert.deepEqual([crash.to, crash.outcome], ['done', 'crash']);
  assert.equal(transition(w('done'), { type: 'finish', reason: 'reload' }, s).to, 'exited');
  assert.equal(transition(w('done'), { type: 'timer', timer: 'backoff' }, s).to, 'done');
});

test('a worker stopped for missing its deadline backs off like a crash', () => {
  const t = transition(w('draining', 'ready-timeout'), { type: 'exit', code: 0, signal: null, verdict: restart }, { ...s, stopExitCodes: [] });
  assert.equal(t.outcome, 'crash');
  assert.equal(t.to, 'backoff');
});

test('backoff ends in exited when its timer fires or when asked to stop', () => {
  assert.equal(transition(w('backoff'), { type: 'timer', timer: 'backoff' }, s).to, 'exited');
  assert.equal(transition(w('backoff'), { type: 'finish', reason: 'stop' }, s).to, 'exited');
});

test('every state x event cell is defined, and terminal states never move', () => {
  const states: WorkerState[] = ['starting', 'ready', 'draining', 'stopping', 'exited', 'backoff', 'fatal', 'done'];
  const events = [
    { type: 'ready' },
    { type: 'timer', timer: 'ready' },
    { type: 'timer', timer: 'uptime' },
    { type: 'timer', timer: 'kill' },
    { type: 'timer', timer: 'backoff' },
    { type: 'finish', reason: 'stop' },
    { type: 'kill', reason: 'stop' },
    { type: 'exit', code: 1, signal: null, verdict: restart },
  ] as const;
  for (const state of states) {
    for (const event of events) {
      const t = transition(w(state), event, s);
      assert.ok(states.includes(t.to), `${state} x ${event.type}`);
      if (state === 'exited' || state === 'fatal') assert.equal(t.to, state);
    }
  }
});
