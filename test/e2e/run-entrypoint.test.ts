// `supervisor run` as a container entrypoint: JSON logs, SIGTERM within kill_timeout, and
// --exit-when-idle exiting non-zero only once every app is fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { alive, pidsMatching } from '../helpers/procs.js';

const healthy = (dir: string, extra: object = {}) => ({ name: 'healthy', script: fixture('job-worker.mjs'), args: [dir], instances: 1, wait_ready: true, kill_timeout: 2000, env: { JOB_LOG: `${dir}/jobs.log` }, ...extra });
const broken = { name: 'broken', script: fixture('crash-at-boot.mjs'), instances: 1, start_retries: 1 };

test('--json-logs writes one JSON object per line, master events and worker output alike', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'noisy', script: fixture('env-reporter.mjs'), args: [dir], instances: 1, wait_ready: true, env: { ENV_OUT: dir } }, broken] });
  const m = startMaster(['run', '--json-logs', '--exit-when-idle', file]);
  try {
    await m.waitForEvent({ event: 'app-fatal', app: 'broken' });
    await m.waitForEvent({ event: 'app-started', app: 'noisy' });
  } finally {
    await stopMaster(m);
  }
  assert.ok(m.raw.length > 5);
  for (const line of m.raw) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(typeof parsed.time, 'string', line);
    assert.equal(typeof parsed.message, 'string', line);
    assert.equal(typeof parsed.event, 'string', line);
    assert.ok(parsed.source === 'supervisor' ? typeof parsed.level === 'string' : parsed.source === 'worker', line);
  }
  const output = m.findEvent({ message: 'boom: cannot boot' });
  assert.deepEqual({ ...output, time: undefined, pid: undefined }, { time: undefined, source: 'worker', event: 'worker-output', app: 'broken', worker: 0, generation: 1, pid: undefined, stream: 'stderr', message: 'boom: cannot boot' });
  const fatal = m.findEvent({ event: 'app-fatal' });
  assert.deepEqual([fatal?.level, fatal?.source, fatal?.app], ['error', 'supervisor', 'broken']);
  const ready = m.findEvent({ event: 'worker-state', app: 'noisy', to: 'ready' });
  assert.deepEqual([ready?.worker, ready?.generation, ready?.from, typeof ready?.pid], [0, 1, 'starting', 'number'], 'worker events carry the flattened worker ref');
});

test('SIGTERM stops gracefully within kill_timeout: a worker that ignores it is killed, the master exits 0', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'stubborn', script: fixture('ignores-shutdown.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: 1000 }] });
  const m = startMaster(['run', file]);
  await m.waitForEvent({ event: 'app-started', app: 'stubborn' });
  const pids = workersOf(m.pid).map((w) => w.pid);
  const t0 = Date.now();
  m.signal('SIGTERM');
  const result = await m.exited;
  const took = Date.now() - t0;
  assert.equal(result.code, 0);
  assert.ok(took >= 1000, `waited for kill_timeout before killing (${took} ms)`);
  assert.ok(took < 15_000, `stopped soon after kill_timeout (${took} ms)`);
  assert.equal(m.countEvents({ event: 'worker-killed', app: 'stubborn', afterMs: 1000 }), 2);
  const stopping = m.findEvent({ event: 'master-stopping', reason: 'SIGTERM' });
  const stopped = m.findEvent({ event: 'master-stopped' });
  assert.ok(stopping && stopped && m.events.indexOf(stopping) < m.events.indexOf(stopped), m.lines.join('\n'));
  assert.ok(pids.every((p) => !alive(p)));
});

test('without --exit-when-idle, a fatal app at the first start fails the whole start (exit 1)', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [healthy(dir), broken] });
  const m = startMaster(['run', file]);
  const result = await m.exited;
  assert.equal(result.code, 1);
  assert.ok(m.findEvent({ event: 'log', level: 'error', message: /^start failed:/ }), m.lines.join('\n'));
  await waitFor('no worker left', () => pidsMatching(dir).length === 0, 10_000);
});

test('--exit-when-idle keeps a healthy app running beside a fatal one, and exits 1 once it is fatal too', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [healthy(dir, { max_restarts: 1, min_uptime: '60s' }), broken] });
  const m = startMaster(['run', '--exit-when-idle', file]);
  try {
    await m.waitForEvent({ event: 'app-fatal', app: 'broken' });
    // A plain log line of `run` (no event of its own).
    await m.waitForEvent({ event: 'log', level: 'error', message: /^some apps did not start; the others keep running \(--exit-when-idle\)/ });
    const worker = await waitFor('the healthy worker', () => workersOf(m.pid).find((w) => w.app === 'healthy'));
    assert.equal(m.child.exitCode, null, 'one fatal app out of two does not stop the master');
    // Two crashes before min_uptime with max_restarts 1 make the healthy app fatal as well.
    process.kill(worker.pid, 'SIGKILL');
    const next = await waitFor('a restarted worker', () => workersOf(m.pid).find((w) => w.app === 'healthy' && w.pid !== worker.pid));
    await m.waitForEvent({ event: 'worker-state', app: 'healthy', worker: 0, generation: 1, pid: next.pid, to: 'ready' });
    assert.equal(m.child.exitCode, null);
    process.kill(next.pid, 'SIGKILL');
    const result = await m.exited;
    assert.equal(result.code, 1);
    const fatal = m.findEvent({ event: 'app-fatal', app: 'healthy' });
    const stopped = m.findEvent({ event: 'log', level: 'error', message: /^stopped: every app is fatal/ });
    assert.ok(fatal && stopped && m.events.indexOf(fatal) < m.events.indexOf(stopped), m.lines.join('\n'));
  } finally {
    await stopMaster(m);
  }
});

test('--exit-when-idle with every app fatal at the first start exits 1', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const m = startMaster(['run', '--exit-when-idle', writeConfig(dir, { apps: [broken] })]);
  const result = await m.exited;
  assert.equal(result.code, 1);
  assert.ok(m.findEvent({ event: 'app-fatal', app: 'broken' }), m.lines.join('\n'));
});
