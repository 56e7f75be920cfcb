// Scenario I8: a home another user prepared. The master (here root) refuses a home, a logs
// dir or a runtime file that is a symbolic link, belongs to another user (nobody, 65534) or
// can be written by others, with the path and the fix, and changes nothing; it never appends
// to a log file planted as a link, and never signals a pid from a planted workers.pids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { killDaemon } from '../helpers/daemon.js';
import { spawnInTest } from '../helpers/spawn.js';
import { alive, pidsMatching } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { startTime } from '../../src/runtime/proc.js';
import { report } from '../helpers/chaos.js';

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

// A config of one shell worker that prints a line, in `dir`.
function config(dir: string): string {
  return writeConfig(dir, { apps: [{ name: 'w', script: fixture('chatty.mjs'), args: [dir], instances: 1 }] });
}

// What a refused start must look like: exit 5, the path and the fix named, nothing running.
async function refused(home: string, file: string, dir: string, message: RegExp): Promise<string> {
  const res = await cli(home, ['start', file]);
  assert.equal(res.code, 5, `start refuses (exit 5): ${res.stdout}${res.stderr}`);
  assert.match(res.stderr, message);
  assert.deepEqual(pidsMatching(dir), [], 'nothing was started');
  return res.stderr.trim().split('\n')[0]!.replaceAll(dir, '<dir>');
}

test('a home, logs dir or runtime file that is not ours is refused with the fix, and left as it was', { timeout: 120_000 }, async (t) => {
  if (!asRoot) {
    t.diagnostic('not root: planting another user\'s files needs chown');
    return;
  }
  const seen: string[] = [];
  // The home is a link to another user's directory: not followed, not chmodded, not written.
  {
    const dir = tempDir('gs-chaos-home-');
    const target = path.join(dir, 'theirs');
    mkdirSync(target, { mode: 0o755 });
    chownSync(target, NOBODY, NOBODY);
    const home = path.join(dir, 'home');
    symlinkSync(target, home);
    seen.push(await refused(home, config(dir), dir, /the home .*home is a symbolic link \(to .*theirs\).*remove the link/));
    assert.equal(statSync(target).mode & 0o777, 0o755, 'the target was not chmodded');
    assert.deepEqual(existsSync(path.join(target, 'logs')), false, 'nothing was written into the target');
  }
  // The home belongs to another user.
  {
    const dir = tempDir('gs-chaos-home-');
    const home = path.join(dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, NOBODY, NOBODY);
    seen.push(await refused(home, config(dir), dir, /the home .* belongs to uid 65534, not to the master's user \(uid 0\)/));
  }
  // The home can be written by everyone: refused, not silently chmodded.
  {
    const dir = tempDir('gs-chaos-home-');
    const home = path.join(dir, 'home');
    mkdirSync(home);
    chmodSync(home, 0o777);
    seen.push(await refused(home, config(dir), dir, /the home .* is writable by everyone \(mode 0777\).*chmod 700/));
    assert.equal(statSync(home).mode & 0o777, 0o777);
  }
  // logs is a link to another directory: the master log never lands there.
  {
    const dir = tempDir('gs-chaos-home-');
    const home = path.join(dir, 'home');
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(home, { mode: 0o700 });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(home, 'logs'));
    seen.push(await refused(home, config(dir), dir, /the logs dir .*logs is a symbolic link/));
    assert.equal(existsSync(path.join(elsewhere, 'supervisor.log')), false);
  }
  // logs is world-writable.
  {
    const dir = tempDir('gs-chaos-home-');
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, 'logs'), { recursive: true, mode: 0o700 });
    chmodSync(path.join(home, 'logs'), 0o777);
    seen.push(await refused(home, config(dir), dir, /the logs dir .* is writable by everyone/));
  }
  // The pidfile is a link.
  {
    const dir = tempDir('gs-chaos-home-');
    const home = path.join(dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(path.join(dir, 'victim'), 'keep\n');
    symlinkSync(path.join(dir, 'victim'), path.join(home, 'supervisor.pid'));
    seen.push(await refused(home, config(dir), dir, /the pidfile .* is a symbolic link/));
    assert.equal(readFileSync(path.join(dir, 'victim'), 'utf8'), 'keep\n');
  }
  report({
    id: 'I8a',
    scenario: 'A home that is not ours',
    load: '1 worker to start',
    faults: 'home a link to nobody\'s dir; home owned by nobody; home 0777; logs a link; logs 0777; supervisor.pid a link',
    lost: 'none',
    result: `each start refused with exit 5, the path and the fix; nothing followed, chmodded, written or started (e.g. "${seen[0]}")`,
  });
});

test('a planted workers.pids is never acted on, and a planted log link is never written', { timeout: 60_000 }, async (t) => {
  if (!asRoot) {
    t.diagnostic('not root: planting another user\'s files needs chown');
    return;
  }
  const dir = tempDir('gs-chaos-plant-');
  const home = path.join(dir, 'home');
  mkdirSync(path.join(home, 'logs'), { recursive: true, mode: 0o700 });
  // An unrelated root process, and a workers.pids naming it (another user's file, as left in
  // a home that was once writable).
  const victim = spawnInTest('sleep', ['1000'], { stdio: 'ignore' });
  await new Promise((resolve) => victim.once('spawn', resolve));
  const pids = path.join(home, 'workers.pids');
  writeFileSync(pids, JSON.stringify([{ pid: victim.pid, app: 'w', slot: 0, start: startTime(victim.pid!) }]), { mode: 0o600 });
  chownSync(pids, NOBODY, NOBODY);
  const file = config(dir);
  const planted = await refused(home, file, dir, /the worker pid file .*workers\.pids belongs to uid 65534/);
  assert.ok(alive(victim.pid!), 'the unrelated process was not signalled');
  // Once removed, the master starts; an app log planted as a link to a root-only file is refused.
  const rootOnly = path.join(dir, 'shadow');
  writeFileSync(rootOnly, 'secret\n', { mode: 0o600 });
  symlinkSync(rootOnly, path.join(home, 'logs', 'w-out.log'));
  writeFileSync(pids, '[]');
  chownSync(pids, 0, 0);
  try {
    const started = await cli(home, ['start', file]);
    assert.equal(started.code, 0, started.stderr);
    await waitFor('the refusal logged', () => /log file .*w-out\.log: .*ELOOP \(a symbolic link, not followed in the home\)/.test(readFileSync(path.join(home, 'logs', 'supervisor.log'), 'utf8')), 10_000);
    assert.equal(readFileSync(rootOnly, 'utf8'), 'secret\n', 'nothing appended to the file behind the link');
    assert.equal(statSync(path.join(home, 'logs')).mode & 0o777, 0o700, 'logs/ is 0700');
    assert.ok(alive(victim.pid!));
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
  report({
    id: 'I8b',
    scenario: 'Planted files in the home',
    load: '1 worker',
    faults: 'workers.pids owned by nobody naming an unrelated root process; logs/w-out.log a link to a root-only file',
    lost: 'none',
    result: `start refused naming workers.pids ("${planted}"), the process untouched; the planted log link not followed (ELOOP logged), the root-only file unchanged; logs/ 0700`,
  });
});
