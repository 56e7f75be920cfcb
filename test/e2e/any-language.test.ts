// Workers that are not Node: a Python job worker, shell workers, the readiness fd,
// stop_signal and kill_group, and leftovers of a master killed with -9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture, ROOT } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { environ, workersOf, pidsOfGeneration } from '../helpers/workers.js';
import { checkJobLog } from '../helpers/job-log.js';
import { alive, pidsMatching } from '../helpers/procs.js';

// Runs a job worker app through `reloads` SIGHUPs, each sent while jobs are in flight, then
// stops it; asserts no job was cut or repeated and nothing crashed or was killed.
async function jobsSurviveReloads(app: { name: string; script: string; interpreter?: string; instances: number }, reloads: number, check?: (masterPid: number) => void): Promise<void> {
  const dir = tempDir();
  const jobLog = path.join(dir, 'jobs.log');
  const file = writeConfig(dir, { apps: [{ ...app, args: [dir], wait_ready: true, kill_timeout: '5s', env: { JOB_LOG: jobLog } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: app.name });
    check?.(m.pid);
    for (let gen = 2; gen <= reloads + 1; gen++) {
      await waitFor('jobs in flight', () => checkJobLog(jobLog).unfinished.length > 0, 10_000);
      const after = m.mark();
      m.signal('SIGHUP');
      await m.waitForEvent({ event: 'reload-done', app: app.name, generation: gen }, { after, timeoutMs: 30_000 });
    }
    assert.equal((await stopMaster(m)).code, 0);
    const jobs = checkJobLog(jobLog);
    assert.ok(jobs.started >= 2 * reloads, `jobs ran (${jobs.started})`);
    assert.deepEqual(jobs.unfinished, []);
    assert.deepEqual(jobs.duplicated, []);
    assert.equal(m.countEvents({ event: 'worker-exit', outcome: 'crash' }), 0, 'nothing crashed');
    assert.equal(m.countEvents({ event: 'worker-killed' }), 0, 'nothing was killed');
  } finally {
    await stopMaster(m);
  }
}

test('a Python job worker under 5 reloads: every job started is completed once, none interrupted', { timeout: 60_000 }, async () => {
  await jobsSurviveReloads({ name: 'py', script: path.join(ROOT, 'examples/python-job-worker.py'), instances: 3 }, 5, (masterPid) => {
    const env = environ(workersOf(masterPid)[0]!.pid)!;
    assert.equal(env.NODE_CHANNEL_FD, undefined, 'no Node IPC channel for a non-Node worker');
  });
});

test('a PHP job worker (interpreter php) under 3 reloads: every job started is completed once', { timeout: 60_000 }, async (t) => {
  if (spawnSync('php', ['-r', 'exit(function_exists("pcntl_signal") ? 0 : 1);']).status !== 0) {
    t.skip('php-cli with pcntl is not installed (.ci/run installs it)');
    return;
  }
  await jobsSurviveReloads({ name: 'php', script: path.join(ROOT, 'examples/php-job-worker.php'), interpreter: 'php', instances: 2 }, 3);
});

test('readiness on SUPERVISOR_READY_FD; a worker that never signals aborts the reload and the old ones keep running', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const app = { name: 'sh', script: fixture('fd-ready.sh'), args: [dir], instances: 2, wait_ready: true, listen_timeout: 800, kill_timeout: 2000 };
  const file = writeConfig(dir, { apps: [app] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'worker-state', app: 'sh', worker: 0, generation: 1, from: 'starting', to: 'ready' });
    await m.waitForEvent({ event: 'app-started', app: 'sh' });
    const before = workersOf(m.pid).map((w) => w.pid).sort();
    writeConfig(dir, { apps: [{ ...app, env: { NEVER_READY: '1' } }] });
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-aborted', app: 'sh', generation: 2, reason: /not ready within 800 ms/ });
    await waitFor('the new generation is gone', () => workersOf(m.pid).every((w) => w.generation === 1) && workersOf(m.pid).length === 2);
    assert.deepEqual(pidsOfGeneration(m.pid, 1), before);
  } finally {
    await stopMaster(m);
  }
});

test('a worker that ignores SIGTERM gets SIGKILL after kill_timeout', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'deaf', script: fixture('ignores-term.sh'), args: [dir], instances: 1, wait_ready: true, kill_timeout: 600 }] });
  const m = startMaster(['run', file]);
  await m.waitForEvent({ event: 'app-started', app: 'deaf' });
  const [w] = workersOf(m.pid);
  m.signal('SIGTERM');
  await m.waitForEvent({ event: 'worker-killed', app: 'deaf', worker: 0, pid: w!.pid, afterMs: 600 });
  assert.equal((await m.exited).code, 0);
  assert.equal(alive(w!.pid), false);
});

test('stop_signal goes to the whole process group with kill_group; without it, to what the worker left once it is gone', { timeout: 30_000 }, async () => {
  for (const killGroup of [true, false]) {
    const dir = tempDir();
    const childPidFile = path.join(dir, 'child.pid');
    const file = writeConfig(dir, { apps: [{ name: 'grp', script: fixture('group-parent.sh'), args: [dir], instances: 1, wait_ready: true, kill_group: killGroup, kill_timeout: 3000, env: { CHILD_PID_FILE: childPidFile } }] });
    const m = startMaster(['run', file]);
    await m.waitForEvent({ event: 'app-started', app: 'grp' });
    const child = Number(readFileSync(childPidFile, 'utf8'));
    assert.ok(alive(child));
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('the grandchild got the signal too', () => !alive(child), 10_000);
    // Without kill_group the worker alone is told to finish; what it left in its group gets
    // stop_signal once it is gone.
    if (!killGroup) assert.equal(m.countEvents({ event: 'log', message: /grp#0 pid \d+ is gone but left 1 process\(es\) in its group: sent SIGTERM to the group/ }), 1);
  }
});

test('after kill -9 of the master, workers that survived are stopped by the next master before it starts new ones', { timeout: 40_000 }, async () => {
  const dir = tempDir();
  const home = tempDir('gs-home-');
  const file = writeConfig(dir, {
    apps: [
      { name: 'deaf', script: fixture('ignores-term.sh'), args: [dir], instances: 1, wait_ready: true, kill_timeout: 1000 },
      { name: 'py', script: path.join(ROOT, 'examples/python-job-worker.py'), args: [dir], instances: 2, wait_ready: true, env: { JOB_LOG: path.join(dir, 'jobs.log') } },
    ],
  });
  const first = startMaster(['run', file], { SUPERVISOR_HOME: home });
  await first.waitForEvent({ event: 'app-started', app: 'deaf' });
  await first.waitForEvent({ event: 'app-started', app: 'py' });
  const workers = workersOf(first.pid);
  const deaf = workers.find((w) => w.app === 'deaf')!.pid;
  const py = workers.filter((w) => w.app === 'py').map((w) => w.pid);
  first.signal('SIGKILL');
  await first.exited;
  await waitFor('cooperative workers exit soon after (PDEATHSIG)', () => py.every((p) => !alive(p)), 10_000);
  assert.ok(alive(deaf), 'a worker that ignores its stop signal survives the master');
  writeFileSync(path.join(dir, 'marker'), '');
  const second = startMaster(['run', file], { SUPERVISOR_HOME: home });
  try {
    // A plain log line (no event of its own): the wording names the leftover.
    const reaped = await second.waitForEvent({ event: 'log', level: 'warn', message: new RegExp(`stopped 1 leftover worker\\(s\\) of a previous master: deaf#0 pid ${deaf}$`) }, { timeoutMs: 30_000 });
    await waitFor('the leftover is gone', () => !alive(deaf), 10_000);
    await second.waitForEvent({ event: 'app-started', app: 'deaf' });
    const spawned = second.events.findIndex((e) => e.event === 'worker-spawned' && e.app === 'deaf');
    assert.ok(second.events.indexOf(reaped) < spawned, 'leftovers are stopped before new workers start');
  } finally {
    second.signal('SIGQUIT');
    await second.exited;
    await waitFor('nothing left', () => pidsMatching(dir).length === 0, 10_000);
  }
});
