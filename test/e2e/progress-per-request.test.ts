// Bug 6: a CLI call's progress shows only the lines of its own request, not those of another
// call running at the same time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';

test('two concurrent calls: `start other.json` does not print the lines of a concurrent `stop a`', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'a', script: fixture('job-worker.mjs'), args: [dir], wait_ready: true, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, 'a.log') } }] });
  const other = writeConfig(dir, { apps: [{ name: 'slow', script: fixture('slow-boot.mjs'), args: [dir], instances: 2, wait_ready: true, env: { READY_DELAY_MS: '2500' } }] }, 'other.json');
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    const start = cli(m.home, ['start', other]);
    await m.waitForEvent({ event: 'worker-spawned', app: 'slow', worker: 1, generation: 1 });
    const stop = await cli(m.home, ['stop', 'a']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /app a: stopped/);
    assert.doesNotMatch(stop.stdout, /slow/, 'stop a shows none of the start\'s lines');
    const started = await start;
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /app slow: all workers ready/);
    assert.doesNotMatch(started.stdout, /\ba#0|app a\b/, 'start shows none of the stop\'s lines');
  } finally {
    await stopMaster(m);
  }
});
