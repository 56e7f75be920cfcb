// The core acceptance: a job worker under 10 SIGHUPs loses no job, ends with exactly N
// workers of the newest generation after each reload, and SIGTERM leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { ROOT } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { checkJobLog } from '../helpers/job-log.js';
import { alive, pidsMatching } from '../helpers/procs.js';

test('10 SIGHUPs roll 3 job workers without cutting or repeating a job', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const jobLog = path.join(dir, 'jobs.log');
  const file = writeConfig(dir, {
    apps: [{ name: 'jobs', script: path.join(ROOT, 'examples/job-worker.js'), args: [dir], instances: 3, wait_ready: true, kill_timeout: '10s', env: { JOB_LOG: jobLog } }],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const seenPids = new Set(workersOf(m.pid).map((w) => w.pid));
    assert.equal(seenPids.size, 3);
    for (let gen = 2; gen <= 11; gen++) {
      const after = m.mark();
      m.signal('SIGHUP');
      await m.waitForEvent({ event: 'reload-done', app: 'jobs', generation: gen }, { after, timeoutMs: 30_000 });
      const workers = await waitFor('exactly the new generation', () => {
        const ws = workersOf(m.pid);
        return ws.length === 3 && ws.every((w) => w.generation === gen) ? ws : null;
      });
      assert.deepEqual(workers.map((w) => w.slot).sort(), [0, 1, 2], 'worker ids stay 0..N-1 across reloads');
      for (const w of workers) {
        assert.ok(!seenPids.has(w.pid), 'every reload replaces every pid');
        seenPids.add(w.pid);
      }
    }
    const result = await stopMaster(m);
    assert.equal(result.code, 0);
    await waitFor('no worker left', () => [...seenPids].every((pid) => !alive(pid)), 10_000);
    assert.deepEqual(pidsMatching(dir), []);
    const jobs = checkJobLog(jobLog);
    assert.ok(jobs.started > 20, `jobs ran (${jobs.started})`);
    assert.deepEqual(jobs.unfinished, [], 'no job was interrupted');
    assert.deepEqual(jobs.duplicated, [], 'no job ran twice');
    assert.equal(m.countEvents({ event: 'worker-exit', outcome: 'crash' }), 0);
  } finally {
    await stopMaster(m);
  }
});
