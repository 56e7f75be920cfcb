// Without wait_ready, a worker is ready at the first of ready() (or process.send('ready'), or
// the ready fd) and min_uptime: one that calls ready() is not held for min_uptime (a reload
// is as quick as the worker), one that loads the SDK but never calls it is ready at min_uptime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { ROOT } from '../helpers/paths.js';

const SDK = JSON.stringify(path.join(ROOT, 'dist/src/sdk/index.js'));
const LONG_UPTIME_MS = 60_000;
const SHORT_UPTIME_MS = 1_000;

test('without wait_ready: ready() makes a worker ready at once; a worker that never calls it is ready at min_uptime', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'calls.mjs'), `import { ready } from ${SDK};\nready();\nsetInterval(() => {}, 1000);\n`);
  writeFileSync(path.join(dir, 'silent.mjs'), `import ${SDK};\nsetInterval(() => {}, 1000);\n`);
  const file = writeConfig(dir, { apps: [
    { name: 'calls', script: path.join(dir, 'calls.mjs'), min_uptime: LONG_UPTIME_MS, kill_timeout: 2000 },
    { name: 'silent', script: path.join(dir, 'silent.mjs'), min_uptime: SHORT_UPTIME_MS, kill_timeout: 2000 },
  ] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'calls' }, { timeoutMs: LONG_UPTIME_MS / 2 });
    await m.waitForEvent({ event: 'app-started', app: 'silent' });
    // The silent worker is ready only once min_uptime is over: never before.
    const spawned = m.findEvent({ event: 'worker-spawned', app: 'silent' })!;
    const ready = m.findEvent({ event: 'worker-state', app: 'silent', to: 'ready' })!;
    assert.ok(Date.parse(String(ready.time)) - Date.parse(String(spawned.time)) >= SHORT_UPTIME_MS, 'ready at min_uptime');
    // A reload of the worker that calls ready() does not wait for its min_uptime either.
    const reload = await cli(m.home, ['reload', 'calls']);
    assert.equal(reload.code, 0, reload.stderr);
    const done = m.findEvent({ event: 'reload-done', app: 'calls', generation: 2 });
    assert.ok(done && Number(done.durationMs) < LONG_UPTIME_MS, `the reload took ${done?.durationMs} ms, not min_uptime (${LONG_UPTIME_MS} ms)`);
  } finally {
    await stopMaster(m);
  }
});
