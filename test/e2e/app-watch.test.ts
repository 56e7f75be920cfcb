// App `watch`: a code change under the watched paths rolls only that app (a rolling reload,
// not a restart), debounced, with the triggering path logged; node_modules, .git, ignore_watch
// and log files never trigger it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';

test('a change under watch rolls only that app; ignored paths do not trigger', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const src = path.join(dir, 'src');
  for (const d of ['node_modules/lib', '.git', 'logs']) mkdirSync(path.join(src, d), { recursive: true });
  const common = { script: fixture('sleeper.sh'), instances: 2, min_uptime: 150, kill_timeout: 2000 };
  const file = writeConfig(dir, {
    apps: [
      { name: 'watched', ...common, watch: ['src'], ignore_watch: ['*.tmp', 'logs'], watch_delay: 300, out_file: path.join(src, 'out.txt') },
      { name: 'other', ...common },
    ],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'watched' });
    await m.waitForEvent({ event: 'app-started', app: 'other' });
    // A plain log line: the watcher has no event of its own for "ready to see changes".
    await m.waitForEvent({ event: 'log', message: /^app watched: watching .*src/ });
    const other = workersOf(m.pid).filter((w) => w.app === 'other').map((w) => w.pid).sort();
    // Ignored first: had any of these counted, it would be the logged trigger.
    writeFileSync(path.join(src, 'node_modules/lib/index.js'), 'x');
    writeFileSync(path.join(src, '.git/HEAD'), 'x');
    writeFileSync(path.join(src, 'notes.tmp'), 'x');
    writeFileSync(path.join(src, 'logs/app.log'), 'x');
    writeFileSync(path.join(src, 'out.txt'), 'x');
    const code = path.join(src, 'handler.js');
    writeFileSync(code, 'v2');
    const started = await m.waitForEvent({ event: 'reload-started', app: 'watched', from: 1, to: 2, mode: 'rolling' });
    assert.equal(started.reason, `watch: ${code}`, 'the reload names the changed path');
    await m.waitForEvent({ event: 'reload-done', app: 'watched', generation: 2 });
    await waitFor('watched runs gen 2', () => workersOf(m.pid).filter((w) => w.app === 'watched').every((w) => w.generation === 2));
    assert.deepEqual(workersOf(m.pid).filter((w) => w.app === 'other').map((w) => w.pid).sort(), other, 'the other app was not touched');
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'other' }), 0);
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'watched' }), 1, 'one debounced reload');
  } finally {
    await stopMaster(m);
  }
});
