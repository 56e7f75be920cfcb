// Bad input: a clear one-line error, a documented non-zero exit, and nothing changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { nobodyCannot } from '../helpers/nobody.js';

const NOBODY = 65534;

test('no master running: every verb that needs one exits 3 with one line', { timeout: 30_000 }, async () => {
  const home = path.join(tempDir(), 'home');
  for (const args of [['status'], ['stop'], ['reload'], ['restart'], ['scale', 'a', '1'], ['stop', 'a']]) {
    const res = await cli(home, args);
    assert.equal(res.code, 3, args.join(' '));
    assert.match(res.stderr, /^supervisor: no master is running .*\n$/, args.join(' '));
  }
  assert.ok(!existsSync(home), 'the home was not even created');
});

test('start with a missing, unreadable or invalid config exits 2 and starts nothing', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const missing = await cli(home, ['start', path.join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^supervisor: cannot read the config .*nope\.json: ENOENT; expected an ecosystem file/);
  const asDir = await cli(home, ['start', dir]);
  assert.equal(asDir.code, 2);
  assert.match(asDir.stderr, /cannot read the config .*: EISDIR/);
  const bad = writeConfig(dir, { apps: [{ name: 'x', script: fixture('job-worker.mjs'), instances: 'lots' }] });
  const invalid = await cli(home, ['start', bad]);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /config rejected, nothing changed:\n.*ecosystem\.json: apps\[0\]\.instances/);
  const run = await cli(home, ['run', path.join(dir, 'nope.json')]);
  assert.equal(run.code, 2, 'run checks its config the same way');
  assert.match(run.stderr, /^supervisor: cannot read the config .*nope\.json: ENOENT/);
  assert.ok(!existsSync(path.join(home, 'supervisor.pid')), 'no pidfile');
  assert.ok(!existsSync(path.join(home, 'supervisor.sock')), 'no socket');
});

test('a home that is not writable exits 5 before anything starts', { timeout: 30_000, skip: nobodyCannot() ?? false }, async () => {
  const dir = tempDir(); // 0700 root: nobody cannot create anything under it
  const file = writeConfig(dir, { apps: [{ name: 'x', script: fixture('job-worker.mjs') }] });
  const readable = path.join(tempDir(), 'eco.json');
  writeFileSync(readable, JSON.stringify({ metrics: false, apps: [{ name: 'x', script: fixture('job-worker.mjs') }] }));
  chownSync(path.dirname(readable), NOBODY, NOBODY);
  chownSync(readable, NOBODY, NOBODY);
  const home = path.join(dir, 'home');
  const res = await cli(home, ['start', readable], {}, 30_000, NOBODY);
  assert.equal(res.code, 5, res.stderr);
  assert.match(res.stderr, /^supervisor: the home .*\/home is not usable: EACCES; expected a directory you can write/);
  assert.ok(!existsSync(home));
  assert.ok(existsSync(file));
});

test('a control socket owned by another user is refused with exit 5', { timeout: 30_000 }, async () => {
  const home = tempDir();
  const sock = path.join(home, 'supervisor.sock');
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  try {
    chownSync(sock, NOBODY, NOBODY);
    for (const args of [['status'], ['reload'], ['stop']]) {
      const res = await cli(home, args);
      assert.equal(res.code, 5, args.join(' '));
      assert.match(res.stderr, new RegExp(`^supervisor: the control socket .* belongs to uid ${NOBODY}, not to you \\(uid 0\\)\\n$`));
    }
    mkdirSync(path.join(home, 'logs'), { recursive: true });
    const start = await cli(home, ['start', writeConfig(tempDir(), { apps: [{ name: 'x', script: fixture('job-worker.mjs') }] })]);
    assert.equal(start.code, 5, 'start does not take over another user\'s master');
    assert.deepEqual(readdirSync(home).sort(), ['logs', 'supervisor.sock']);
  } finally {
    server.close();
  }
});

test('the internal master-daemon verb refuses to run by hand', { timeout: 30_000 }, async () => {
  const home = tempDir();
  const res = await cli(home, ['master-daemon', path.join(home, 'eco.json'), '--home', home, '--umask', '022']);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /^supervisor: master-daemon is internal: use "supervisor start <config>"\n$/);
});
