// Fixture workers that misbehave: ignore shutdown, crash at boot, never become ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf, pidsOfGeneration } from '../helpers/workers.js';
import { alive, pidsMatching } from '../helpers/procs.js';

test('a worker that ignores finish-and-exit gets SIGKILL after kill_timeout', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'stubborn', script: fixture('ignores-shutdown.mjs'), args: [dir], instances: 1, wait_ready: true, kill_timeout: 800 }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'stubborn' });
    const [old] = workersOf(m.pid);
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'worker-state', app: 'stubborn', worker: 0, generation: 1, from: 'ready', to: 'draining', reason: 'reload' });
    assert.ok(alive(old!.pid), 'still alive while draining');
    await m.waitForEvent({ event: 'worker-killed', app: 'stubborn', worker: 0, generation: 1, pid: old!.pid, afterMs: 800 });
    await waitFor('the old worker is gone', () => !alive(old!.pid), 10_000);
    await m.waitForEvent({ event: 'reload-done', app: 'stubborn', generation: 2 });
  } finally {
    m.signal('SIGQUIT');
    await m.exited;
    await waitFor('no worker left', () => pidsMatching(dir).length === 0, 10_000);
  }
});

// The human wording of these lines is what a user reads first: this test checks it.
test('a worker that crashes at boot backs off, then the app is fatal and start fails', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'broken', script: fixture('crash-at-boot.mjs'), instances: 1, start_retries: 2 }] });
  const m = startMaster(['run', file], {}, { human: true });
  const result = await m.exited;
  assert.equal(result.code, 1);
  const out = m.lines.join('\n');
  assert.match(out, /broken#0 .*crashed: exited with code 2/);
  assert.match(out, /restarting in 100 ms/);
  assert.match(out, /restarting in 200 ms/);
  assert.match(out, /app broken is fatal and stays down: worker 0 failed 3 times while the app was starting \(start_retries 2\); the last one exited with code 2/);
  assert.match(out, /broken#0 \| boom: cannot boot/, 'worker stderr reaches the master output with a prefix');
});

test('a new generation that never becomes ready aborts the reload; the old workers keep running', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const app = { name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 2, wait_ready: true, listen_timeout: 700, kill_timeout: 2000, env: { JOB_LOG: `${dir}/jobs.log` } };
  const file = writeConfig(dir, { apps: [app] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const before = workersOf(m.pid).map((w) => w.pid).sort();
    writeConfig(dir, { apps: [{ ...app, env: { ...app.env, NEVER_READY: '1' } }] });
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-aborted', app: 'jobs', generation: 2, reason: /not ready within 700 ms/ });
    await waitFor('only the old generation is left', () => {
      const ws = workersOf(m.pid);
      return ws.length === 2 && ws.every((w) => w.generation === 1);
    });
    // The file save also queues a watcher reload as a follow-up, so a newer generation may be
    // starting by now; what must hold is that generation 1 is exactly the workers from before.
    assert.deepEqual(pidsOfGeneration(m.pid, 1), before, 'the old workers were never touched');
    assert.equal(m.countEvents({ event: 'worker-state', app: 'jobs', generation: 1, to: 'draining' }), 0);
  } finally {
    await stopMaster(m);
  }
});

test('a new generation that crashes aborts the reload; the old workers keep running', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const app = { name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: 2000, env: { JOB_LOG: `${dir}/jobs.log` } };
  const file = writeConfig(dir, { apps: [app] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const before = workersOf(m.pid).map((w) => w.pid).sort();
    writeFileSync(file, JSON.stringify({ metrics: false, apps: [{ ...app, script: fixture('crash-at-boot.mjs') }] }));
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-aborted', app: 'jobs', generation: 2, reason: /exited before it was ready/ });
    assert.deepEqual(pidsOfGeneration(m.pid, 1), before, 'generation 1 is exactly the workers from before');
  } finally {
    await stopMaster(m);
  }
});
