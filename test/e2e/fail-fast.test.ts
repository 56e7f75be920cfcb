// A start fails fast with its cause: an app that crashes at boot (here, a missing module)
// fails `run` and `start` within seconds (start_retries), naming the worker, its exit code,
// its last stderr lines and its log file, with advice that is true once the command is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { pidsMatching } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';

// The bound for a boot crash loop with the defaults (it was about 4 minutes).
const FAIL_FAST_MS = 15_000;
const MISSING = 'gs-missing-module-for-tests';

// An app whose script requires a module that is not installed (what a fresh project hits).
function missingModuleApp(dir: string): { name: string; script: string } {
  const script = path.join(dir, 'app.js');
  writeFileSync(script, `require(${JSON.stringify(MISSING)});\nsetInterval(() => {}, 1000);\n`);
  return { name: 'web', script };
}

test('`supervisor run` of an app that crashes at boot exits 1 within seconds, naming the missing module and the log file', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [missingModuleApp(dir)] });
  const t0 = Date.now();
  const m = startMaster(['run', file], {}, { human: true });
  const result = await m.exited;
  const took = Date.now() - t0;
  assert.equal(result.code, 1, m.lines.join('\n'));
  assert.ok(took < FAIL_FAST_MS, `gave up after ${took} ms (bound ${FAIL_FAST_MS} ms)`);
  const out = m.lines.join('\n');
  // One crash line per attempt: the first start and start_retries (5) restarts.
  assert.equal(m.count(/web#0 gen 1 pid \d+: crashed: exited with code 1/), 6, out);
  const failure = out.slice(out.indexOf('start failed:'));
  assert.match(failure, /app web did not start: worker 0 failed 6 times while the app was starting \(start_retries 5\); the last one exited with code 1/);
  assert.match(failure, new RegExp(`\\| Error: Cannot find module '${MISSING}'`), 'the last stderr lines name the missing module');
  assert.match(failure, new RegExp(`Its stderr log: ${path.join(m.home, 'logs', 'web-error.log')}`));
  assert.match(failure, /The master exits and leaves nothing running/);
  assert.doesNotMatch(out, /supervisor reload/, 'no advice to reload a master that is gone');
  await waitFor('no worker left', () => pidsMatching(dir).length === 0, 10_000);
});

test('`supervisor start` of an app that crashes at boot prints a line per crash, then the cause and the log path, and leaves no daemon', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [missingModuleApp(dir)] });
  const t0 = Date.now();
  const res = await cli(home, ['start', file]);
  const took = Date.now() - t0;
  assert.equal(res.code, 1, res.stdout + res.stderr);
  assert.ok(took < FAIL_FAST_MS, `gave up after ${took} ms (bound ${FAIL_FAST_MS} ms)`);
  assert.equal(res.stdout.match(/web#0 gen 1 pid \d+: crashed: exited with code 1/g)?.length, 6, `a progress line per crash:\n${res.stdout}`);
  assert.match(res.stderr, /^supervisor: start failed: app web did not start: worker 0 failed 6 times/m);
  assert.match(res.stderr, new RegExp(`Cannot find module '${MISSING}'`));
  assert.match(res.stderr, new RegExp(`Its stderr log: ${path.join(home, 'logs', 'web-error.log')}`));
  assert.match(res.stderr, new RegExp(`No master is left running\\. The master log is ${path.join(home, 'logs', 'supervisor.log')}\\.`));
  assert.doesNotMatch(res.stderr, /supervisor reload/);
  assert.ok(!existsSync(path.join(home, 'supervisor.pid')), 'no pidfile');
  assert.deepEqual(pidsMatching(home), [], 'no daemon process');
});

test('an app added by a reload fails fast too; the master keeps the others running and says how to retry', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const job = { name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], wait_ready: true, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, 'jobs.log') } };
  const file = writeConfig(dir, { apps: [job] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    writeConfig(dir, { apps: [job, missingModuleApp(dir)] });
    const res = await cli(m.home, ['reload']);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /app web did not start: worker 0 failed 6 times while the app was starting \(start_retries 5\)/);
    assert.match(res.stderr, new RegExp(`Cannot find module '${MISSING}'`));
    assert.match(res.stderr, /The master keeps running; once the cause is fixed, "supervisor reload <app>" starts a fatal app again\./);
    assert.equal(m.child.exitCode, null, 'the master runs on');
    assert.equal(workersOf(m.pid).filter((w) => w.app === 'jobs').length, 1, 'the other app keeps its worker');
    const status = await cli(m.home, ['status']);
    assert.match(status.stdout, /web is fatal: worker 0 failed 6 times .*"supervisor reload web" starts it again/);
  } finally {
    await stopMaster(m);
  }
});
