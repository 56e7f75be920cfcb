// The pidfile: atomic write, stale detection (dead pid, or a live process that is not a
// master), refusal when a live master holds it, and removal only by its owner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { acquirePidfile, MasterRunningError, releasePidfile } from '../../../src/runtime/pidfile.js';
import { tempDir } from '../../helpers/config.js';
import { spawnInTest } from '../../helpers/spawn.js';

function idle(args: string[]): Promise<ChildProcess> {
  const child = spawnInTest(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('spawn', () => resolve(child)));
}

test('writes our pid atomically and leaves no temp file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'supervisor.pid');
  assert.equal(acquirePidfile(file, 4242), null);
  assert.equal(readFileSync(file, 'utf8'), '4242\n');
  assert.deepEqual(readdirSync(dir), ['supervisor.pid']);
});

test('a pidfile of a dead pid is replaced, and the replacement is reported', async () => {
  const file = path.join(tempDir(), 'supervisor.pid');
  const gone = await idle([]);
  const exited = new Promise((r) => gone.once('exit', r));
  gone.kill('SIGKILL');
  await exited;
  writeFileSync(file, `${gone.pid}\n`);
  assert.match(acquirePidfile(file, 4242) ?? '', new RegExp(`stale pidfile .*pid ${gone.pid} is not running`));
  assert.equal(readFileSync(file, 'utf8'), '4242\n');
});

test('a live process that is not a master does not hold the pidfile; a live master does', async () => {
  const file = path.join(tempDir(), 'supervisor.pid');
  const other = await idle(['/somewhere/else.js', 'run']);
  const master = await idle(['/opt/gs/dist/src/cli/main.js', 'run', 'eco.json']);
  try {
    writeFileSync(file, `${other.pid}\n`);
    assert.match(acquirePidfile(file, 4242) ?? '', /is alive but is not a supervisor master/);
    writeFileSync(file, `${master.pid}\n`);
    assert.throws(() => acquirePidfile(file, 4242), (e: unknown) => e instanceof MasterRunningError && e.pid === master.pid);
    assert.equal(readFileSync(file, 'utf8'), `${master.pid}\n`, 'a live master keeps its pidfile');
  } finally {
    other.kill('SIGKILL');
    master.kill('SIGKILL');
  }
});

test('only the master whose pid the pidfile holds removes it', () => {
  const file = path.join(tempDir(), 'supervisor.pid');
  writeFileSync(file, '4242\n');
  releasePidfile(file, 4343);
  assert.ok(existsSync(file), 'another pid does not remove it');
  releasePidfile(file, 4242);
  assert.ok(!existsSync(file));
});

test('a garbled pidfile is replaced', () => {
  const file = path.join(tempDir(), 'supervisor.pid');
  writeFileSync(file, 'not a pid');
  assert.match(acquirePidfile(file, 4242) ?? '', /stale pidfile .*it held no pid/);
  assert.equal(readFileSync(file, 'utf8'), '4242\n');
});
