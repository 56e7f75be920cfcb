// Scenario 3: a SIGHUP storm. At most 2 reloads run (the one in progress and one merged
// follow-up), the end state is exactly N workers of the newest generation, nothing leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';
import { waitSettled } from '../helpers/control.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';

test('SIGHUP storm: signals merge into at most 2 reloads', { timeout: 60_000 }, async () => {
  const signals = scale(200, 60);
  const windowMs = scale(1000, 300);
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'web', script: fixture('slow-boot.mjs'), args: [dir], instances: 3, wait_ready: true, kill_timeout: 3000, env: { READY_DELAY_MS: String(windowMs + 300) } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const after = m.mark();
    const t0 = Date.now();
    for (let i = 0; i < signals; i++) {
      m.signal('SIGHUP');
      await sleep(Math.max(0, t0 + ((i + 1) * windowMs) / signals - Date.now()));
    }
    await m.waitForEvent({ event: 'reload-done', app: 'web' }, { after, timeoutMs: 30_000 });
    const settled = await waitSettled(m.home);
    const reloads = m.countEvents({ ...RELOAD_STARTED, app: 'web' }, after);
    const newest = settled.apps[0]!.generation;
    assert.equal(newest, 1 + reloads);
    const workers = await waitFor('exactly 3 workers of the newest generation', () => {
      const ws = workersOf(m.pid);
      return ws.length === 3 && ws.every((w) => w.generation === newest) ? ws : null;
    });
    assert.ok(reloads <= 2, `${reloads} reloads ran`);
    assert.equal(workers.length, 3);
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('nothing leaked', () => pidsMatching(dir).length === 0, 10_000);
    report({ id: '3', scenario: 'SIGHUP storm', load: '3 workers', faults: `${signals} SIGHUPs in ${windowMs} ms`, lost: 'none', result: `${reloads} reloads ran; 3 workers of gen ${newest}; 0 leaked` });
  } finally {
    await stopMaster(m);
  }
});
