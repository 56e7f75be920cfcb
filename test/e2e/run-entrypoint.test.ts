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
const broken = { name: 'broken', script: fixture('crash-at-boot.mjs'), instances: 1, max_restarts: 1 };

test('--json-logs writes one JSON object per line, master events and worker output alike', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'noisy', script: fixture('env-reporter.mjs'), args: [dir], instances: 1, wait_ready: true, env: { ENV_OUT: dir } }, broken] });
  const m = startMaster(['run', '--json-logs', '--exit-when-idle', file]);
  try {
    await m.waitForLine(/"event":"app-fatal"/);
    await m.waitForLine(/"event":"app-started".*noisy|noisy.*"event":"app-started"/);
  } finally {
    await stopMaster(m);
  }
  assert.ok(m.lines.length > 5);
  for (const line of m.lines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(typeof parsed.time, 'string', line);
    assert.equal(typeof parsed.message, 'string', line);
  }
  const output = m.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => o.message === 'boom: cannot boot');
  assert.deepEqual({ app: output?.app, worker: output?.worker, stream: output?.stream }, { app: 'broken', worker: 0, stream: 'stderr' });
  const fatal = m.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => o.event === 'app-fatal');
  assert.equal(fatal?.level, 'error');
});

test('SIGTERM stops gracefully within kill_timeout: a worker that ignores it is killed, the master exits 0', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'stubborn', script: fixture('ignores-shutdown.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: 1000 }] });
  const m = startMaster(['run', file]);
  await m.waitForLine(/app stubborn: all workers ready/);
  const pids = workersOf(m.pid).map((w) => w.pid);
  const t0 = Date.now();
  m.signal('SIGTERM');
  const result = await m.exited;
  const took = Date.now() - t0;
  assert.equal(result.code, 0);
  assert.ok(took >= 1000, `waited for kill_timeout before killing (${took} ms)`);
  assert.ok(took < 8000, `stopped soon after kill_timeout (${took} ms)`);
  assert.equal(m.count(/still running 1000 ms after finish-and-exit \(kill_timeout\): sent SIGKILL/), 2);
  assert.match(m.lines.join('\n'), /stopping all apps \(SIGTERM\)[\s\S]*all apps stopped/);
  assert.ok(pids.every((p) => !alive(p)));
});

test('without --exit-when-idle, a fatal app at the first start fails the whole start (exit 1)', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [healthy(dir), broken] });
  const m = startMaster(['run', file]);
  const result = await m.exited;
  assert.equal(result.code, 1);
  assert.match(m.lines.join('\n'), /ERROR start failed:/);
  await waitFor('no worker left', () => pidsMatching(dir).length === 0, 5000);
});

test('--exit-when-idle keeps a healthy app running beside a fatal one, and exits 1 once it is fatal too', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [healthy(dir, { max_restarts: 1, min_uptime: '60s' }), broken] });
  const m = startMaster(['run', '--exit-when-idle', file]);
  try {
    await m.waitForLine(/app broken is fatal/);
    await m.waitForLine(/some apps did not start; the others keep running \(--exit-when-idle\)/);
    const worker = await waitFor('the healthy worker', () => workersOf(m.pid).find((w) => w.app === 'healthy'));
    assert.equal(m.child.exitCode, null, 'one fatal app out of two does not stop the master');
    // Two crashes before min_uptime with max_restarts 1 make the healthy app fatal as well.
    process.kill(worker.pid, 'SIGKILL');
    const next = await waitFor('a restarted worker', () => workersOf(m.pid).find((w) => w.app === 'healthy' && w.pid !== worker.pid));
    await m.waitForLine(new RegExp(`healthy#0 gen 1 pid ${next.pid}: .*-> ready`));
    assert.equal(m.child.exitCode, null);
    process.kill(next.pid, 'SIGKILL');
    const result = await m.exited;
    assert.equal(result.code, 1);
    assert.match(m.lines.join('\n'), /app healthy is fatal[\s\S]*ERROR stopped: every app is fatal/);
  } finally {
    await stopMaster(m);
  }
});

test('--exit-when-idle with every app fatal at the first start exits 1', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const m = startMaster(['run', '--exit-when-idle', writeConfig(dir, { apps: [broken] })]);
  const result = await m.exited;
  assert.equal(result.code, 1);
  assert.match(m.lines.join('\n'), /app broken is fatal/);
});
