// What a worker sees: its env, PM2-style readiness, and the SDK outside the supervisor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture, ROOT } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { alive } from '../helpers/procs.js';

test('workers get SUPERVISOR_APP, a stable SUPERVISOR_WORKER_ID, SUPERVISOR_GENERATION and NODE_APP_INSTANCE; internal vars never leak', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'envy', script: fixture('env-reporter.mjs'), instances: 2, wait_ready: true, env: { ENV_OUT: dir, GREETING: 'hi' } }] });
  const m = startMaster(['run', file], { SUPERVISOR_INTERNAL_SECRET: 'x', LISTEN_FDS: '9' });
  try {
    await m.waitForEvent({ event: 'app-started', app: 'envy' });
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-done', app: 'envy', generation: 2 });
    for (const [slot, gen] of [[0, 1], [1, 1], [0, 2], [1, 2]] as const) {
      const env = JSON.parse(readFileSync(`${dir}/${slot}-${gen}.json`, 'utf8')) as Record<string, string>;
      assert.equal(env.SUPERVISOR_APP, 'envy');
      assert.equal(env.SUPERVISOR_WORKER_ID, String(slot));
      assert.equal(env.NODE_APP_INSTANCE, String(slot));
      assert.equal(env.SUPERVISOR_GENERATION, String(gen));
      assert.equal(env.GREETING, 'hi');
      assert.equal(env.SUPERVISOR_INTERNAL_SECRET, undefined);
      assert.equal(env.LISTEN_FDS, undefined, "the master's own LISTEN_FDS is not passed on");
    }
  } finally {
    await stopMaster(m);
  }
});

test("a PM2-style process.send('ready') counts as ready", { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'pm2app', script: fixture('pm2-style.cjs'), args: [dir], instances: 1, wait_ready: true, listen_timeout: 3000 }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'worker-state', app: 'pm2app', worker: 0, generation: 1, from: 'starting', to: 'ready' });
  } finally {
    assert.equal((await stopMaster(m)).code, 0);
  }
});

test('the SDK is a no-op outside the supervisor', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { ready, onShutdown, isShuttingDown, supervised } from 'graceful-supervisor/worker';
    ready(); onShutdown(() => {});
    console.log(JSON.stringify({ supervised, shuttingDown: isShuttingDown() }));
    process.exit(0);
  `], { cwd: ROOT, env: { ...process.env, SUPERVISOR_APP: '' } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000 });
  void out;
  const clean = { ...process.env };
  delete clean.SUPERVISOR_APP;
  const out2 = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { ready, onShutdown, isShuttingDown, supervised } from 'graceful-supervisor/worker';
    ready(); onShutdown(() => {});
    console.log(JSON.stringify({ supervised, shuttingDown: isShuttingDown() }));
  `], { cwd: ROOT, env: clean, encoding: 'utf8', timeout: 30_000 });
  assert.deepEqual(JSON.parse(out2), { supervised: false, shuttingDown: false });
});

test('workers never outlive a master killed with SIGKILL: Node via IPC disconnect, others via PDEATHSIG', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, {
    apps: [
      { name: 'node', script: fixture('job-worker.mjs'), args: [dir], instances: 2, wait_ready: true, env: { JOB_LOG: `${dir}/jobs.log` } },
      { name: 'shell', script: fixture('sleeper.sh'), args: [dir], instances: 2, min_uptime: 200 },
    ],
  });
  const m = startMaster(['run', file]);
  await m.waitForEvent({ event: 'app-started', app: 'node' });
  await m.waitForEvent({ event: 'app-started', app: 'shell' });
  const pids = workersOf(m.pid).map((w) => w.pid);
  assert.equal(pids.length, 4);
  m.signal('SIGKILL');
  await m.exited;
  // How fast is a figure for the chaos report (scenario 2); here: they go, by themselves.
  await waitFor('every worker gone', () => pids.every((p) => !alive(p)), 10_000);
});

// The Node matrix (.ci/run) means something only if everything runs on the node under test.
test('the master, its Node workers and a shebang `node` are the node that runs the tests', { timeout: 30_000 }, async () => {
  const node = realpathSync(process.execPath);
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 1, wait_ready: true, env: { JOB_LOG: `${dir}/jobs.log` } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    assert.equal(readlinkSync(`/proc/${m.pid}/exe`), node, 'the master');
    assert.equal(readlinkSync(`/proc/${workersOf(m.pid)[0]!.pid}/exe`), node, 'a Node worker');
  } finally {
    await stopMaster(m);
  }
  const onPath = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8', timeout: 10_000 }).trim();
  assert.equal(realpathSync(onPath), node, `PATH finds ${onPath} first: run the suite with scripts/run-tests.mjs (npm test), which puts ${process.execPath}'s dir first`);
});
