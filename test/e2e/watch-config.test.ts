// Config-file watching is off unless asked: "watch_config": true in a file, or --watch-config
// on `run`/`start` (--no-watch-config overrides a file's true). Each test saves the file that
// must NOT reload first and the one that must reload second (the same debounce for both), so
// by the time the second reloaded, the first would have started to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { masterStatus } from '../helpers/master-status.js';
import { waitFor } from '../helpers/wait.js';
import { killDaemon } from '../helpers/daemon.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';

const app = (name: string, env: Record<string, string> = {}) => ({ name, script: fixture('sleeper.sh'), instances: 1, min_uptime: 150, kill_timeout: 2000, env });

test('by default a saved file does not reload; "watch_config": true does, and a reload can turn it on', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const watched = writeConfig(dir, { watch_config: true, apps: [app('a')] }, 'a.json');
  const plain = writeConfig(dir, { apps: [app('b')] }, 'b.json');
  const m = startMaster(['run', watched]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    assert.equal((await cli(m.home, ['start', plain])).code, 0);
    let after = m.mark();
    writeConfig(dir, { apps: [app('b', { V: '2' })] }, 'b.json');
    writeConfig(dir, { watch_config: true, apps: [app('a', { V: '2' })] }, 'a.json');
    await m.waitForEvent({ event: 'reload-done', app: 'a', generation: 2 }, { after });
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'b' }, after), 0, 'the file without watch_config was not reloaded');
    // A reload that reads "watch_config": true starts watching the file.
    writeConfig(dir, { watch_config: true, apps: [app('b', { V: '2' })] }, 'b.json');
    assert.equal((await cli(m.home, ['reload', 'b'])).code, 0);
    after = m.mark();
    writeConfig(dir, { watch_config: true, apps: [app('b', { V: '3' })] }, 'b.json');
    await m.waitForEvent({ event: 'reload-started', app: 'b', reason: 'config file changed' }, { after });
  } finally {
    await stopMaster(m);
  }
});

test('--no-watch-config overrides a file\'s "watch_config": true; start --watch-config watches a file without it', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const quiet = writeConfig(dir, { watch_config: true, apps: [app('quiet')] }, 'quiet.json');
  const loud = writeConfig(dir, { apps: [app('loud')] }, 'loud.json');
  const m = startMaster(['run', quiet, '--no-watch-config']);
  const home = path.join(dir, 'daemon-home');
  try {
    await m.waitForEvent({ event: 'app-started', app: 'quiet' });
    const started = await cli(home, ['start', loud, '--watch-config']);
    assert.equal(started.code, 0, started.stderr);
    const after = m.mark();
    writeConfig(dir, { watch_config: true, apps: [app('quiet', { V: '2' })] }, 'quiet.json');
    writeConfig(dir, { apps: [app('loud', { V: '2' })] }, 'loud.json');
    await waitFor('the daemon reloaded loud.json', async () => (await masterStatus(home)).apps[0]?.generation === 2, 20_000);
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'quiet' }, after), 0, '--no-watch-config: no reload on save');
  } finally {
    await stopMaster(m);
    await cli(home, ['stop']);
    await killDaemon(home);
  }
});
