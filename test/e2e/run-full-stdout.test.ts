// `supervisor run` with stdout on a full disk (/dev/full: every write fails with ENOSPC):
// a failed log write must never take the master, and its workers, down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync } from 'node:fs';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { statusOf } from '../helpers/control.js';
import { waitFor } from '../helpers/wait.js';
import { spawnInTest } from '../helpers/spawn.js';

test('run keeps running and stops cleanly when its stdout cannot be written', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const home = tempDir('gs-home-');
  const file = writeConfig(dir, { apps: [{ name: 'web', script: fixture('slow-boot.mjs'), args: [dir], instances: 2, wait_ready: true, env: { READY_DELAY_MS: '10' } }] });
  const full = openSync('/dev/full', 'w');
  const master = spawnInTest(process.execPath, [CLI, 'run', file], { env: { ...process.env, SUPERVISOR_HOME: home }, stdio: ['ignore', full, 'pipe'] });
  closeSync(full);
  const exited = new Promise<number | null>((resolve) => master.on('exit', (code) => resolve(code)));
  const status = await waitFor('both workers ready', async () => {
    const s = await statusOf(home);
    return s.apps[0]?.workers.filter((w) => w.state === 'ready').length === 2 ? s : null;
  });
  assert.equal(status.apps[0]!.name, 'web');
  assert.equal(master.exitCode, null, 'still running after its log lines failed to write');
  master.kill('SIGTERM');
  assert.equal(await exited, 0);
});
