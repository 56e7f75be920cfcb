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
    await m.waitForEvent({ event: 'app-started', app: 'hog' });
    const over = await m.waitForEvent({ event: 'worker-restart-scheduled', app: 'hog', worker: 0, generation: 1, reason: 'memory' }, { timeoutMs: 30_000 });
    const exit = await m.waitForEvent({ event: 'worker-exit', app: 'hog', pid: over.pid!, code: 0, stopReason: 'memory' }, { timeoutMs: 30_000 });
    const between = m.events.slice(m.events.indexOf(over), m.events.indexOf(exit));
    assert.ok(between.some((e) => e.event === 'worker-state' && e.app === 'hog' && e.worker === 0 && e.to === 'ready' && e.pid !== over.pid), 'the replacement was ready before the old worker exited');

    const cli = spawnSync(process.execPath, [CLI, 'metrics'], { env: { ...process.env, SUPERVISOR_HOME: m.home }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(sample(cli.stdout, 'supervisor_worker_restarts_total{app="hog",reason="memory"}')! >= 1);
    assert.equal(sample(cli.stdout, 'supervisor_worker_restarts_total{app="hog",reason="crash"}'), 0);

    assert.equal((await stopMaster(m)).code, 0);
    const jobs = checkJobLog(jobLog);
    assert.ok(jobs.started >= 3);
    assert.deepEqual(jobs.unfinished, [], 'no job was cut by the replacement');
    assert.deepEqual(jobs.duplicated, []);
    assert.equal(m.countEvents({ event: 'worker-exit', outcome: 'crash' }), 0);
  } finally {
    await stopMaster(m);
  }
});
