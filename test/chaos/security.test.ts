// Security checks: the home and the control socket are private, another user cannot drive
// the master, per-app uid/gid drop the workers' privileges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { workersOf } from '../helpers/workers.js';
import { report } from '../helpers/chaos.js';
import { socketOf } from '../helpers/control.js';
import { nobodyCannot } from '../helpers/nobody.js';

const asNobody = nobodyCannot() === null;

test('the home is 0700, the socket 0600, and another user cannot drive the master; uid/gid drop privileges', { timeout: 30_000 }, async (t) => {
  const dir = tempDir();
  const file = writeConfig(dir, {
    apps: [
      { name: 'web', script: fixture('slow-boot.mjs'), instances: 1, wait_ready: true, env: { READY_DELAY_MS: '10' } },
      ...(asNobody ? [{ name: 'dropped', script: fixture('slow-boot.mjs'), cwd: '/tmp', instances: 1, wait_ready: true, uid: 'nobody', env: { READY_DELAY_MS: '10' } }] : []),
    ],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    assert.equal(statSync(m.home).mode & 0o777, 0o700, 'home is 0700');
    assert.equal(statSync(socketOf(m.home)).mode & 0o777, 0o600, 'socket is 0600');
    assert.equal(statSync(path.join(m.home, 'workers.pids')).mode & 0o777, 0o600, 'pid records are 0600');
    if (!asNobody) {
      t.diagnostic(`not checked as another user: ${nobodyCannot()}`);
      return;
    }
    await m.waitForEvent({ event: 'app-started', app: 'dropped' });
    const other = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'status', '--home', m.home], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(other.status, 5, `exit code 5 (permission): ${other.stderr}`);
    assert.match(other.stderr, /permission denied/);
    const dropped = workersOf(m.pid).find((w) => w.app === 'dropped')!;
    const uidLine = readFileSync(`/proc/${dropped.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'))!;
    assert.match(uidLine, /^Uid:\s+65534\s+65534/);
    const gidLine = readFileSync(`/proc/${dropped.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Gid:'))!;
    assert.match(gidLine, /^Gid:\s+65534\s+65534/);
    report({ id: 'S1', scenario: 'Permissions', load: '2 workers', faults: 'status as user nobody; app with uid nobody', lost: 'none', result: 'home 0700, socket 0600; nobody gets exit 5 "permission denied"; worker runs as uid/gid 65534' });
  } finally {
    await stopMaster(m);
  }
});

test('a config file others can write is refused unless --insecure-config', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'web', script: fixture('slow-boot.mjs'), args: [dir], instances: 1, wait_ready: true, env: { READY_DELAY_MS: '10' } }] });
  chmodSync(file, 0o666);
  const refused = startMaster(['run', file]);
  const result = await refused.exited;
  assert.equal(result.code, 2, 'a refused config is a bad-config exit');
  // The refusal's wording is what the user reads: the reason, the mode and the way out.
  assert.match(refused.lines.join('\n'), /refusing the config .*: it is writable by everyone \(mode 0666\).*--insecure-config/);
  const accepted = startMaster(['run', '--insecure-config', file]);
  try {
    await accepted.waitForEvent({ event: 'app-started', app: 'web' });
  } finally {
    await stopMaster(accepted);
  }
  report({ id: 'S2', scenario: 'World-writable config', load: '1 worker', faults: 'config mode 0666', lost: 'none', result: 'refused with the reason; accepted with --insecure-config' });
});
