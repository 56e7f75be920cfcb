// Every verb against a foreground `supervisor run` master (the same control socket as the
// daemon): scale, restart, stop of one app, a reload that aborts, and unknown apps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf, pidsOfGeneration } from '../helpers/workers.js';

const job = (dir: string, name: string, extra: Record<string, unknown> = {}) => ({
  name, script: fixture('job-worker.mjs'), args: [dir], instances: 1, wait_ready: true, listen_timeout: 1500, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, `${name}.log`) }, ...extra,
});

test('scale, restart and stop of one app through the control socket of `supervisor run`', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [job(dir, 'a'), job(dir, 'b')] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    await m.waitForEvent({ event: 'app-started', app: 'b' });
    const b0 = workersOf(m.pid).find((w) => w.app === 'b')!.pid;

    const up = await cli(m.home, ['scale', 'a', '3']);
    assert.equal(up.code, 0, up.stderr);
    await waitFor('a has 3 workers', () => workersOf(m.pid).filter((w) => w.app === 'a').length === 3);
    const down = await cli(m.home, ['scale', 'a', '1']);
    assert.equal(down.code, 0, down.stderr);
    await waitFor('a has 1 worker', () => workersOf(m.pid).filter((w) => w.app === 'a').length === 1);

    const a0 = workersOf(m.pid).find((w) => w.app === 'a')!.pid;
    const restart = await cli(m.home, ['restart', 'a']);
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stdout, /app a: restart gen 1 -> 2/);
    await waitFor('a restarted', () => workersOf(m.pid).some((w) => w.app === 'a' && w.pid !== a0 && w.generation === 2));

    const stopA = await cli(m.home, ['stop', 'a']);
    assert.equal(stopA.code, 0, stopA.stderr);
    await waitFor('a has no worker', () => workersOf(m.pid).every((w) => w.app !== 'a'));
    assert.deepEqual(workersOf(m.pid).map((w) => w.pid), [b0], 'b was never touched');
    const status = JSON.parse((await cli(m.home, ['status', '--json'])).stdout) as { apps: { name: string; status: string }[] };
    assert.deepEqual(status.apps.map((a) => [a.name, a.status]), [['a', 'stopped'], ['b', 'running']]);
  } finally {
    await stopMaster(m);
  }
});

test('reload of a change that never becomes ready exits 1 with the reason; the old workers stay', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const app = job(dir, 'jobs', { instances: 2, listen_timeout: 700 });
  const file = writeConfig(dir, { apps: [app] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const before = workersOf(m.pid).map((w) => w.pid).sort();
    writeConfig(dir, { apps: [{ ...app, env: { ...app.env, NEVER_READY: '1' } }] });
    const res = await cli(m.home, ['reload', 'jobs']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^supervisor: reload failed: .*not ready within 700 ms/m);
    // Its own rollout: gen 2, or gen 3 when the watcher's reload of the saved file came first
    // (then this request merged into the follow-up, and only its own lines are printed).
    assert.match(res.stdout, /rolling reload gen 1 -> [23] \(supervisor reload\)/, 'progress was printed before the failure');
    await waitFor('only the old generation', () => workersOf(m.pid).every((w) => w.generation === 1));
    assert.deepEqual(pidsOfGeneration(m.pid, 1), before);
  } finally {
    await stopMaster(m);
  }
});

test('an unknown app is a one-line error with exit 4 for every verb that takes an app; bad numbers exit 2', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [job(dir, 'jobs')] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const pids = workersOf(m.pid).map((w) => w.pid);
    for (const args of [['stop', 'nope'], ['reload', 'nope'], ['restart', 'nope'], ['scale', 'nope', '2'], ['logs', 'nope']]) {
      const res = await cli(m.home, args);
      assert.equal(res.code, 4, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, /^supervisor: .*unknown app "nope"\n$/, args.join(' '));
    }
    const bad = await cli(m.home, ['scale', 'jobs', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected a whole number of workers/);
    const second = await cli(m.home, ['run', file]);
    assert.equal(second.code, 1, 'a second master in the same home is refused');
    assert.match(second.stderr, new RegExp(`^supervisor: a master is already running \\(pid ${m.pid}`));
    assert.deepEqual(workersOf(m.pid).map((w) => w.pid), pids, 'nothing changed');
  } finally {
    await stopMaster(m);
  }
});
