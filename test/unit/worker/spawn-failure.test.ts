// A worker that cannot be started is an exit with the reason, reported once on a later tick:
// never a throw out of the spawner, never an unhandled 'error', never a handle that waits
// forever for an exit (a SIGKILL reports it at once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { normalizeApp } from '../../../src/config/normalize.js';
import type { AppSpec } from '../../../src/config/types.js';
import { spawnWorkerProcess } from '../../../src/worker/process-handle.js';
import type { WorkerCallbacks } from '../../../src/master/effects.js';
import { tempDir } from '../../helpers/config.js';
import { fixture } from '../../helpers/paths.js';
import { waitFor } from '../../helpers/wait.js';

function specWith(extra: Partial<AppSpec>): AppSpec {
  const issues: { path: string; message: string }[] = [];
  const spec = normalizeApp({ name: 'w', script: fixture('sleeper.sh') }, tempDir(), 'apps[0]', issues);
  assert.deepEqual(issues, []);
  return { ...spec, ...extra };
}

function spawnRecording(spec: AppSpec) {
  const exits: { code: number | null; signal: string | null; error?: string }[] = [];
  const cb: WorkerCallbacks = { message: () => undefined, readyFd: () => undefined, output: () => undefined, exit: (code, signal, error) => void exits.push({ code, signal, ...(error === undefined ? {} : { error }) }) };
  const handle = spawnWorkerProcess({ spec, slot: 0, generation: 1 }, cb, { listenFds: () => ({ fds: [], names: [] }), uidGid: () => ({}) });
  return { handle, exits };
}

test('a NUL in the environment: no pid, and one exit with the reason on a later tick', async () => {
  const { handle, exits } = spawnRecording(specWith({ env: { A: 'x\u0000y' } }));
  assert.equal(handle.pid, null);
  assert.equal(exits.length, 0, 'not reported synchronously: the master records the worker first');
  await waitFor('the exit', () => exits.length === 1);
  assert.equal(exits[0]!.code, null);
  assert.match(exits[0]!.error ?? '', /null bytes/);
});

test('a cwd that is gone (ENOENT at spawn): one exit with the reason, no unhandled error', async () => {
  const { handle, exits } = spawnRecording(specWith({ cwd: path.join(tempDir(), 'gone') }));
  assert.equal(handle.pid, null);
  await waitFor('the exit', () => exits.length === 1);
  assert.match(exits[0]!.error ?? '', /ENOENT/);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(exits.length, 1, 'reported once');
});

test('a SIGKILL to a worker that never started reports its exit at once (a stop never waits on it)', async () => {
  const { handle, exits } = spawnRecording(specWith({ env: { A: '\u0000' } }));
  handle.signal('SIGTERM');
  assert.equal(exits.length, 0);
  handle.signal('SIGKILL');
  assert.equal(exits.length, 1);
  assert.equal(exits[0]!.error, 'it was never started');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(exits.length, 1, 'the late reason does not report a second exit');
});
