// max_memory_restart: a job worker whose memory grows past the limit is replaced in place,
// the new worker first; the old one finishes its job before it exits, and it is neither a
// crash nor a lost job. `supervisor metrics` counts it (with the HTTP endpoint off).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { checkJobLog } from '../helpers/job-log.js';
import { sample } from '../helpers/metrics.js';

test('a worker above max_memory_restart is replaced gracefully, new worker first', { timeout: 40_000 }, async () => {
  const dir = tempDir();
  const jobLog = path.join(dir, 'jobs.log');
  const file = writeConfig(dir, {
    apps: [{ name: 'hog', script: fixture('memory-hog.mjs'), args: [dir], instances: 1, wait_ready: true, kill_timeout: '10s', max_memory_restart: '120M', env: { JOB_LOG: jobLog, HOG_MB: 25, HOG_MAX_MB: 200 } }],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForLine(/app hog: all workers ready/);
    const over = await m.waitForLine(/hog#0 gen 1 pid (\d+): resident memory \d+ MB exceeds max_memory_restart 120 MB; replacing it gracefully/, 15_000);
    const oldPid = /pid (\d+)/.exec(over)![1]!;
    const exit = await m.waitForLine(new RegExp(`hog#0 gen 1 pid ${oldPid}: exited with code 0 after \\d+ ms \\(memory\\)`), 15_000);
    const between = m.lines.slice(m.lines.indexOf(over), m.lines.indexOf(exit));
    assert.ok(between.some((l) => /hog#0 gen 1 pid \d+: starting -> ready/.test(l) && !l.includes(`pid ${oldPid}:`)), 'the replacement was ready before the old worker exited');

    const cli = spawnSync(process.execPath, [CLI, 'metrics'], { env: { ...process.env, SUPERVISOR_HOME: m.home }, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(sample(cli.stdout, 'supervisor_worker_restarts_total{app="hog",reason="memory"}')! >= 1);
    assert.equal(sample(cli.stdout, 'supervisor_worker_restarts_total{app="hog",reason="crash"}'), 0);

    assert.equal((await stopMaster(m)).code, 0);
    const jobs = checkJobLog(jobLog);
    assert.ok(jobs.started >= 3);
    assert.deepEqual(jobs.unfinished, [], 'no job was cut by the replacement');
    assert.deepEqual(jobs.duplicated, []);
    assert.equal(m.count(/crashed/), 0);
  } finally {
    await stopMaster(m);
  }
});
