// Bug 1: a reload asked for before the first load (here: while a dead master's leftover
// worker is reaped, which takes the 5 s grace when it ignores SIGTERM) waits for that load
// instead of answering "no config loaded" or being lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { alive } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { startTime } from '../../src/runtime/proc.js';

test('a reload sent while the master reaps leftovers waits for the first load, then rolls', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // A leftover of a "previous master" that ignores SIGTERM: reaping it takes the whole grace.
  const leftover = spawn('sh', [fixture('ignores-term.sh'), dir], { stdio: 'ignore', env: { ...process.env, SUPERVISOR_READY_FD: '1' } });
  const file = writeConfig(dir, { apps: [{ name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], wait_ready: true, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, 'jobs.log') } }] });
  try {
    await waitFor('the leftover started', () => startTime(leftover.pid!) !== null);
    writeFileSync(path.join(home, 'workers.pids'), JSON.stringify([{ pid: leftover.pid, app: 'jobs', slot: 0, start: startTime(leftover.pid!) }]));
    const m = startMaster(['run', file], { SUPERVISOR_HOME: home });
    try {
      // The control socket answers before the reap is over; the first load has not run yet.
      await waitFor('the control socket answers', async () => (await cli(home, ['status', '--json'])).code === 0, 10_000, 50);
      assert.ok(alive(leftover.pid!), 'the leftover is still being reaped');
      const reload = await cli(home, ['reload']);
      assert.equal(reload.code, 0, `reload answered: ${reload.stderr}`);
      assert.doesNotMatch(reload.stderr, /no config loaded/);
      assert.ok(!alive(leftover.pid!), 'the reload was answered after the reap and the first load');
      // The reload was not lost: the first start and the reload merged into one read of the file.
      await m.waitForEvent({ event: 'app-started', app: 'jobs' });
      await waitFor('one worker', () => workersOf(m.pid).length === 1);
    } finally {
      await stopMaster(m);
    }
  } finally {
    leftover.kill('SIGKILL');
  }
});
