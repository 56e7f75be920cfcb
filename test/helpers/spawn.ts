// Starting a process from a test: in a process group of its own, with the test's marker in
// its environment, tracked so that the harness kills it when the test ends.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { RUN_KEY, TEST_KEY } from './proc-marker.js';
import { trackGroup } from './harness.js';

// spawn() for tests: the markers are kept even when `opts.env` is a fresh environment.
export function spawnInTest(command: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  const env = { ...(opts.env ?? process.env), [RUN_KEY]: process.env[RUN_KEY], [TEST_KEY]: process.env[TEST_KEY] };
  const child = spawn(command, args, { ...opts, env, detached: true });
  if (child.pid !== undefined) trackGroup(child.pid);
  return child;
}

// Sends `signal` to the whole process group of a child started with spawnInTest.
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}
