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
    await m.waitForLine(/app watched: all workers ready/);
    await m.waitForLine(/app other: all workers ready/);
    await m.waitForLine(/app watched: watching .*src/);
    const other = workersOf(m.pid).filter((w) => w.app === 'other').map((w) => w.pid).sort();
    // Ignored first: had any of these counted, it would be the logged trigger.
    writeFileSync(path.join(src, 'node_modules/lib/index.js'), 'x');
    writeFileSync(path.join(src, '.git/HEAD'), 'x');
    writeFileSync(path.join(src, 'notes.tmp'), 'x');
    writeFileSync(path.join(src, 'logs/app.log'), 'x');
    writeFileSync(path.join(src, 'out.txt'), 'x');
    const code = path.join(src, 'handler.js');
    writeFileSync(code, 'v2');
    const line = await m.waitForLine(/app watched: watch: .* changed; rolling reload/);
    assert.ok(line.includes(`watch: ${code} changed`), line);
    await m.waitForLine(new RegExp(`app watched: rolling reload gen 1 -> 2 \\(watch: ${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    await m.waitForLine(/app watched: reload to gen 2 done/);
    await waitFor('watched runs gen 2', () => workersOf(m.pid).filter((w) => w.app === 'watched').every((w) => w.generation === 2));
    assert.deepEqual(workersOf(m.pid).filter((w) => w.app === 'other').map((w) => w.pid).sort(), other, 'the other app was not touched');
    assert.equal(m.count(/app other: rolling reload/), 0);
    assert.equal(m.count(/app watched: rolling reload/), 1, 'one debounced reload');
  } finally {
    await stopMaster(m);
  }
});
