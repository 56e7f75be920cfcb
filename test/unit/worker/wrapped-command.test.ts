// The exec wrapper: with setpriv, a worker starts only while its parent is still the master
// that spawned it (a master killed between its fork and setpriv's prctl sends no parent-death
// signal, so the worker must not start); LISTEN_PID is the worker's own pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { normalizeApp } from '../../../src/config/normalize.js';
import type { AppSpec } from '../../../src/config/types.js';
import { findSetpriv, wrappedCommand } from '../../../src/worker/command.js';
import { tempDir } from '../../helpers/config.js';
import { fixture } from '../../helpers/paths.js';

function shellSpec(script: string): AppSpec {
  const issues: { path: string; message: string }[] = [];
  const spec = normalizeApp({ name: 'w', script: fixture('sleeper.sh') }, tempDir(), 'apps[0]', issues);
  assert.deepEqual(issues, []);
  return { ...spec, interpreter: null, script: '/bin/sh', args: ['-c', script] };
}

const run = (spec: AppSpec, withListenPid: boolean, masterPid?: number) => {
  const cmd = wrappedCommand(spec, withListenPid, masterPid);
  return spawnSync(cmd.file, [...cmd.args], { encoding: 'utf8', timeout: 10_000 });
};

test('with setpriv, the worker runs when its parent is the master that spawned it', { skip: findSetpriv() === null && 'no setpriv here' }, () => {
  const r = run(shellSpec('echo ran'), false, process.pid);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'ran\n');
});

test('with setpriv, the worker does not start when its parent is not that master (it died before the parent-death signal was set)', { skip: findSetpriv() === null && 'no setpriv here' }, () => {
  const notTheParent = process.ppid; // alive, but not the wrapper's parent
  const r = run(shellSpec('echo ran'), false, notTheParent);
  assert.equal(r.status, 70);
  assert.equal(r.stdout, '');
});

test('LISTEN_PID is the worker\'s own pid, behind setpriv and the parent check', () => {
  const r = run(shellSpec('echo "$LISTEN_PID $$"'), true, process.pid);
  assert.equal(r.status, 0, r.stderr);
  const [listenPid, own] = r.stdout.trim().split(' ');
  assert.match(listenPid ?? '', /^\d+$/);
  assert.equal(listenPid, own);
});
