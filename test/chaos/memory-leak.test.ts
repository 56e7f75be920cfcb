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

const OVER = /(\w+#\d+) gen \d+ pid (\d+): resident memory (\d+) MB exceeds max_memory_restart 100 MB; replacing it gracefully/;

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
    await m.waitForLine(/app hog: all workers ready/);
    const exits = () => m.lines.filter((l) => /hog#\d+ gen \d+ pid \d+: exited with code 0 after \d+ ms \(memory\)/.test(l));
    await waitFor(`${replacements} memory replacements done`, () => exits().length >= replacements, 50_000, 100);
    const peak = Math.max(...m.lines.map((l) => OVER.exec(l)).filter((x) => x !== null).map((x) => Number(x[3])));
    // Each replaced worker's replacement in the same slot was ready before it exited.
    for (const over of m.lines.filter((l) => OVER.test(l))) {
      const [, who, pid] = OVER.exec(over)!;
      const exitAt = m.lines.findIndex((l) => new RegExp(`${who} gen \\d+ pid ${pid}: exited with code 0 after \\d+ ms \\(memory\\)`).test(l));
      if (exitAt === -1) continue; // still finishing its job when we stopped looking
      const between = m.lines.slice(m.lines.indexOf(over), exitAt);
      assert.ok(between.some((l) => new RegExp(`${who} gen \\d+ pid (?!${pid}:)\\d+: starting -> ready`).test(l)), `the replacement of ${who} pid ${pid} was ready before it exited`);
    }
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 5000);
    const jobs = checkJobLog(jobLog);
    assert.deepEqual(jobs.unfinished, [], 'no job was cut');
    assert.deepEqual(jobs.duplicated, []);
    assert.equal(m.count(/SIGKILL/), 0, 'no worker was killed');
    assert.equal(m.count(/crashed/), 0, 'no replacement counted as a crash');
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
