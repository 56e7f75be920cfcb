// Scenario 8: a leaking job worker. Each time it grows past max_memory_restart it is replaced
// gracefully, the new worker ready first; the old one finishes its job and exits 0. No job is
// cut, nothing is killed with SIGKILL, and nothing counts as a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { checkJobLog } from '../helpers/job-log.js';
import { waitFor } from '../helpers/wait.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';

const OVER = /resident memory (\d+) MB exceeds max_memory_restart/;

test('workers over max_memory_restart are replaced gracefully, new first, no job cut, no SIGKILL', { timeout: 60_000 }, async () => {
  const instances = scale(2, 1);
  const replacements = scale(10, 1);
  const dir = tempDir('gs-chaos-leak-');
  const jobLog = path.join(dir, 'jobs.log');
  const file = writeConfig(dir, {
    apps: [{ name: 'hog', script: fixture('memory-hog.mjs'), args: [dir], instances, wait_ready: true, kill_timeout: '10s', max_memory_restart: '100M', env: { JOB_LOG: jobLog, HOG_MB: 20, HOG_MAX_MB: 160 } }],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'hog' });
    const exits = () => m.events.filter((e) => e.event === 'worker-exit' && e.app === 'hog' && e.code === 0 && e.stopReason === 'memory');
    await waitFor(`${replacements} memory replacements done`, () => exits().length >= replacements, 50_000, 100);
    // The figure for the report is only in the wording of the sampler's log line.
    const peak = Math.max(...m.events.map((e) => (e.event === 'log' ? OVER.exec(e.message) : null)).filter((x) => x !== null).map((x) => Number(x[1])));
    // Each replaced worker's replacement in the same slot was ready before it exited.
    for (const over of m.events.filter((e) => e.event === 'worker-restart-scheduled' && e.reason === 'memory')) {
      const exit = exits().find((e) => e.pid === over.pid);
      if (!exit) continue; // still finishing its job when we stopped looking
      const between = m.events.slice(m.events.indexOf(over), m.events.indexOf(exit));
      const replacement = between.some((e) => e.event === 'worker-state' && e.app === 'hog' && e.worker === over.worker && e.to === 'ready' && e.pid !== over.pid);
      assert.ok(replacement, `the replacement of hog#${over.worker} pid ${over.pid} was ready before it exited`);
    }
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);
    const jobs = checkJobLog(jobLog);
    assert.deepEqual(jobs.unfinished, [], 'no job was cut');
    assert.deepEqual(jobs.duplicated, []);
    assert.equal(m.countEvents({ event: 'worker-killed' }) + m.countEvents({ event: 'worker-exit', signal: 'SIGKILL' }), 0, 'no worker was killed');
    assert.equal(m.countEvents({ event: 'worker-exit', outcome: 'crash' }), 0, 'no replacement counted as a crash');
    const done = exits().length;
    report({
      id: '8',
      scenario: 'Memory leak over max_memory_restart',
      load: `${instances} job worker(s) leaking 20 MB per job (${jobs.started} jobs)`,
      faults: `max_memory_restart 100 MB, RSS up to ${peak} MB when caught`,
      lost: `0 of ${jobs.started} jobs cut; 0 SIGKILLs`,
      result: `${done} graceful replacements, each new worker ready before the old one exited 0`,
    });
  } finally {
    await stopMaster(m);
  }
});
