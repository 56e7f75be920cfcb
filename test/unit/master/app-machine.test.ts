// The app machine as a table: every state x event cell is defined, answers carry a code from
// the closed set, and the rows that matter are pinned down one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appTransition, crashLimitOf, type AppEvent, type AppView } from '../../../src/master/app-machine.js';
import { APP_STATES, type AppState } from '../../../src/master/app-states.js';
import type { AppSpec } from '../../../src/config/types.js';
import { ERROR_CODES } from '../../../src/protocol/codes.js';
import type { Outcome } from '../../../src/master/outcome.js';

const spec = { name: 'web', instances: 2 } as AppSpec;
const heard: Outcome[] = [];
const waiters = [(o: Outcome) => heard.push(o)];
const view = (state: AppState, extra: Partial<AppView> = {}): AppView => ({ name: 'web', state, hasPending: false, removed: false, fatalReason: null, ...extra });

const EVENTS: AppEvent[] = [
  { type: 'load-requested' },
  { type: 'load-failed' },
  { type: 'apply-failed' },
  { type: 'applied', change: 'roll', spec, mode: 'rolling', reason: 'reload', request: 1, waiters },
  { type: 'applied', change: 'scale', spec, request: 1, waiters },
  { type: 'applied', change: 'none' },
  { type: 'scale', instances: 3, request: 2, waiters },
  { type: 'stop', remove: false, request: 3, waiters },
  { type: 'stop', remove: true, request: 3, waiters },
  { type: 'shutdown' },
  { type: 'start', spec, request: 4, waiters },
  { type: 'converged' },
  { type: 'rollout-aborted', reason: 'worker 0 crashed' },
  { type: 'fatal', reason: 'worker 0 crashed 3 times', evidence: null },
  { type: 'all-exited' },
];

test('every state x event cell is defined; answers carry a known code; no waiter is both answered and kept', () => {
  for (const state of APP_STATES) {
    for (const pending of [false, true]) {
      for (const event of EVENTS) {
        const t = appTransition(view(state, { hasPending: pending }), event);
        const cell = `${state}${pending ? '+pending' : ''} x ${event.type}${'change' in event ? `(${event.change})` : ''}`;
        assert.ok(APP_STATES.includes(t.to), cell);
        assert.equal(t.from, state, cell);
        if (t.outcome && !t.outcome.ok) assert.ok(ERROR_CODES.includes(t.outcome.code), `${cell}: ${t.outcome.code}`);
        const keeps = t.effects.some((e) => 'waiters' in e && e.waiters === waiters);
        if ('waiters' in event) assert.ok(!(keeps && t.outcome), `${cell}: waiters both answered and kept`);
        if ('waiters' in event && event.type !== 'applied') assert.ok(keeps || t.outcome, `${cell}: a request is always answered or waits`);
      }
    }
  }
});

test('a running app: a read makes it loading, a failed read brings it back, an applied change rolls it', () => {
  assert.equal(appTransition(view('running'), { type: 'load-requested' }).to, 'loading');
  assert.equal(appTransition(view('loading'), { type: 'load-failed' }).to, 'running');
  assert.equal(appTransition(view('loading'), { type: 'apply-failed' }).to, 'running');
  assert.equal(appTransition(view('loading'), { type: 'applied', change: 'none' }).to, 'running');
  const roll = appTransition(view('loading'), EVENTS[3]!);
  assert.equal(roll.to, 'rolling');
  assert.deepEqual(roll.effects.map((e) => e.type), ['begin-rollout']);
  assert.equal(appTransition(view('running'), EVENTS[4]!).to, 'scaling');
});

test('a stopped app that is applied starts fresh; a fatal one too, its fatal reason cleared', () => {
  const fromStopped = appTransition(view('stopped'), EVENTS[3]!);
  assert.equal(fromStopped.to, 'starting');
  assert.deepEqual(fromStopped.effects.map((e) => (e.type === 'begin-rollout' ? `begin fresh=${e.fresh}` : e.type)), ['begin fresh=true']);
  const fromFatal = appTransition(view('fatal'), EVENTS[3]!);
  assert.equal(fromFatal.to, 'starting');
  assert.deepEqual(fromFatal.effects.map((e) => e.type), ['clear-fatal', 'begin-rollout']);
});

test('during a rollout a reload merges into one follow-up; convergence starts it', () => {
  for (const state of ['starting', 'rolling'] as const) {
    assert.deepEqual(appTransition(view(state), EVENTS[3]!).effects.map((e) => e.type), ['queue-rollout']);
    assert.equal(appTransition(view(state), { type: 'converged' }).to, 'running');
    const next = appTransition(view(state, { hasPending: true }), { type: 'converged' });
    assert.equal(next.to, 'rolling');
    assert.deepEqual(next.effects.map((e) => e.type), ['finish-rollout', 'begin-pending']);
  }
  const aborted = appTransition(view('rolling'), { type: 'rollout-aborted', reason: 'x' });
  assert.equal(aborted.to, 'running');
  assert.deepEqual(aborted.effects, [{ type: 'finish-rollout', how: 'aborted', reason: 'x' }]);
  assert.equal(appTransition(view('starting'), { type: 'rollout-aborted', reason: 'x' }).to, 'starting', 'a start backs off instead of aborting');
});

test('a scale during a rollout waits for the rollout; a rollout during a scale takes its waiters', () => {
  assert.deepEqual(appTransition(view('rolling'), EVENTS[6]!).effects.map((e) => e.type), ['set-instances', 'wait']);
  assert.deepEqual(appTransition(view('scaling'), EVENTS[3]!).effects.map((e) => e.type), ['begin-rollout', 'scale-into-rollout']);
  assert.equal(appTransition(view('scaling'), { type: 'converged' }).to, 'running');
});

test('stop aborts what is under way with E_ABORTED; stopping then stopped; removal forgets the app', () => {
  const t = appTransition(view('rolling'), EVENTS[8]!);
  assert.equal(t.to, 'stopping');
  const settled = t.effects.filter((e) => e.type === 'settle');
  assert.ok(settled.length === 2 && settled.every((e) => e.type === 'settle' && !e.outcome.ok && e.outcome.code === 'E_ABORTED'));
  assert.ok(t.effects.some((e) => e.type === 'mark-removed'));
  assert.deepEqual(appTransition(view('stopping', { removed: true }), { type: 'all-exited' }).effects.map((e) => e.type), ['stopped', 'forget']);
  assert.deepEqual(appTransition(view('stopping'), { type: 'all-exited' }).effects.map((e) => e.type), ['stopped']);
  assert.equal(appTransition(view('stopped'), EVENTS[7]!).outcome?.ok, true, 'stopping a stopped app is done at once');
});

test('refusals: E_BUSY while stopping or stopped, E_FATAL for a fatal app; shutdown answers E_SHUTTING_DOWN', () => {
  const code = (state: AppState, e: AppEvent) => {
    const o = appTransition(view(state), e).outcome;
    return o && !o.ok ? o.code : null;
  };
  assert.equal(code('stopping', EVENTS[6]!), 'E_BUSY');
  assert.equal(code('stopped', EVENTS[6]!), 'E_BUSY');
  assert.equal(code('stopping', EVENTS[3]!), 'E_BUSY');
  assert.equal(code('fatal', EVENTS[6]!), 'E_FATAL');
  const down = appTransition(view('starting'), { type: 'shutdown' });
  assert.equal(down.to, 'stopping');
  assert.ok(down.effects.every((e) => e.type !== 'settle' || (!e.outcome.ok && e.outcome.code === 'E_SHUTTING_DOWN')));
});

test('a crash loop makes a starting app fatal and fails its start with E_FATAL, the evidence in the answer', () => {
  const t = appTransition(view('starting'), { type: 'fatal', reason: 'worker 0 failed 6 times', evidence: 'Its last lines on stderr:\n  | boom' });
  assert.equal(t.to, 'fatal');
  const settled = t.effects.find((e) => e.type === 'settle' && e.who === 'rollout');
  assert.ok(settled?.type === 'settle' && !settled.outcome.ok && settled.outcome.code === 'E_FATAL');
  assert.equal(settled.outcome.message, 'app web did not start: worker 0 failed 6 times\nIts last lines on stderr:\n  | boom');
  assert.doesNotMatch(settled.outcome.message, /supervisor reload/, 'no advice from the machine: whether the master stays up is known elsewhere');
  const later = appTransition(view('rolling'), { type: 'fatal', reason: 'worker 0 crashed 16 times', evidence: null }).effects.find((e) => e.type === 'settle');
  assert.ok(later?.type === 'settle' && later.outcome.message === 'web is fatal: worker 0 crashed 16 times');
});

test('crashes count against start_retries while the app is starting, max_restarts in every other state', () => {
  for (const state of APP_STATES) assert.equal(crashLimitOf(state), state === 'starting' ? 'start_retries' : 'max_restarts', state);
});

test('start <app>: a stopped or fatal app starts fresh from its spec; a running one is done at once; a stopping one is busy', () => {
  const start = EVENTS.find((e) => e.type === 'start')!;
  const fromStopped = appTransition(view('stopped'), start);
  assert.equal(fromStopped.to, 'starting');
  assert.deepEqual(fromStopped.effects.map((e) => e.type), ['begin-rollout']);
  assert.deepEqual(appTransition(view('fatal', { fatalReason: 'x' }), start).effects.map((e) => e.type), ['clear-fatal', 'begin-rollout']);
  assert.equal(appTransition(view('running'), start).outcome?.ok, true);
  assert.deepEqual(appTransition(view('starting'), start).effects.map((e) => e.type), ['wait']);
  const busy = appTransition(view('stopping'), start).outcome;
  assert.ok(busy && !busy.ok && busy.code === 'E_BUSY');
});
