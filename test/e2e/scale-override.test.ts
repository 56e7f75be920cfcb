// `supervisor scale` is a runtime override: reloads that keep the file's `instances` keep
// it, the next change of `instances` in the file wins, and `status` says when an app's
// count differs from its file (`instances` vs `file_instances`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';

const web = (instances: number, env: Record<string, string> = {}) => ({ name: 'web', script: fixture('sleeper.sh'), instances, min_uptime: 100, kill_timeout: 2000, env });

async function counts(home: string): Promise<{ instances: number; file_instances: number; workers: number; table: string }> {
  const json = JSON.parse((await cli(home, ['status', '--json'])).stdout) as { apps: { instances: number; file_instances: number; workers: unknown[] }[] };
  const app = json.apps[0]!;
  return { instances: app.instances, file_instances: app.file_instances, workers: app.workers.length, table: (await cli(home, ['status'])).stdout };
}

test('scale overrides the file until its instances change; status shows the difference', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [web(1)] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    assert.equal((await cli(m.home, ['scale', 'web', '3'])).code, 0);
    let c = await counts(m.home);
    assert.deepEqual([c.instances, c.file_instances, c.workers], [3, 1, 3]);
    assert.match(c.table, new RegExp(`^web: 3 worker\\(s\\) set by "supervisor scale"; ${file} says 1 \\(the next change of "instances" there applies it\\)$`, 'm'));
    // A reload that leaves instances as they were (an env change) keeps the override.
    writeConfig(dir, { apps: [web(1, { V: '2' })] });
    assert.equal((await cli(m.home, ['reload'])).code, 0);
    c = await counts(m.home);
    assert.deepEqual([c.instances, c.file_instances, c.workers], [3, 1, 3]);
    // A change of instances in the file wins, and the note is gone.
    writeConfig(dir, { apps: [web(2, { V: '2' })] });
    assert.equal((await cli(m.home, ['reload'])).code, 0);
    c = await counts(m.home);
    assert.deepEqual([c.instances, c.file_instances, c.workers], [2, 2, 2]);
    assert.doesNotMatch(c.table, /supervisor scale/);
  } finally {
    await stopMaster(m);
  }
});
