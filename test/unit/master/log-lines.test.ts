// JSON log lines (CONTRACTS.md section 1): every notice's fields are picked generically, the
// worker ref flattened, so tests and log pipelines match on fields instead of wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNotice, noticeFields } from '../../../src/master/log-lines.js';
import type { MasterNotice } from '../../../src/master/notices.js';

const at = new Date('2026-01-02T03:04:05.678Z');
const worker = { app: 'jobs', slot: 1, generation: 3, pid: 4242 };
const json = (n: MasterNotice) => JSON.parse(formatNotice(n, true, at)!.text) as Record<string, unknown>;

test('a master line carries time, level, source, event, message and the notice fields', () => {
  assert.deepEqual(json({ type: 'reload-done', app: 'jobs', generation: 3, durationMs: 812 }), {
    time: '2026-01-02T03:04:05.678Z', level: 'info', source: 'supervisor', event: 'reload-done', message: 'app jobs: reload to gen 3 done in 812 ms', app: 'jobs', generation: 3, durationMs: 812,
  });
  const aborted = json({ type: 'reload-aborted', app: 'jobs', generation: 2, reason: 'worker 0 (pid 9) exited before it was ready (code 2)', durationMs: 40 });
  assert.deepEqual([aborted.level, aborted.event, aborted.reason, aborted.durationMs], ['error', 'reload-aborted', 'worker 0 (pid 9) exited before it was ready (code 2)', 40]);
});

test('the worker ref is flattened into app, worker (the slot), generation and pid', () => {
  const exit = json({ type: 'worker-exit', worker, code: null, signal: 'SIGKILL', outcome: 'crash', uptimeMs: 5, stopReason: null });
  assert.deepEqual({ app: exit.app, worker: exit.worker, generation: exit.generation, pid: exit.pid, outcome: exit.outcome, signal: exit.signal, event: exit.event }, {
    app: 'jobs', worker: 1, generation: 3, pid: 4242, outcome: 'crash', signal: 'SIGKILL', event: 'worker-exit',
  });
  const state = json({ type: 'worker-state', worker, from: 'ready', to: 'draining', reason: 'reload' });
  assert.deepEqual([state.from, state.to, state.reason], ['ready', 'draining', 'reload']);
});

test('a notice type or key added later gets its fields with no change here; objects are left out', () => {
  const future = { type: 'app-started', app: 'web', request: 'r-17', code: 'E_BIND', file: '/etc/eco.json', nested: { a: 1 } } as unknown as MasterNotice;
  assert.deepEqual(noticeFields(future), { app: 'web', request: 'r-17', code: 'E_BIND', file: '/etc/eco.json' });
  const loaded = json({ type: 'config-loaded', file: '/x/eco.json', summary: '1 app', config: { apps: [] } as never });
  assert.equal(loaded.file, '/x/eco.json');
  assert.equal('config' in loaded, false);
});

test('worker output lines have source "worker", event "worker-output" and the stream', () => {
  const line = formatNotice({ type: 'worker-output', worker, stream: 'stderr', line: 'boom' }, true, at)!;
  assert.equal(line.stream, 'stderr');
  assert.deepEqual(JSON.parse(line.text), { time: '2026-01-02T03:04:05.678Z', source: 'worker', event: 'worker-output', app: 'jobs', worker: 1, generation: 3, pid: 4242, stream: 'stderr', message: 'boom' });
  assert.equal(formatNotice({ type: 'worker-output', worker, stream: 'stdout', line: 'hi' }, false, at)!.text, 'jobs#1 | hi', 'the human form is unchanged');
});

test('reserved keys of a line are never overwritten by a notice field', () => {
  const n = { type: 'log', level: 'warn', message: 'careful', time: 'not a time', source: 'x', event: 'y' } as unknown as MasterNotice;
  const o = json(n);
  assert.deepEqual([o.time, o.source, o.event, o.level, o.message], ['2026-01-02T03:04:05.678Z', 'supervisor', 'log', 'warn', 'careful']);
});
