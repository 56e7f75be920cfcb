// Starting a worker process so that a failure to start it is an answer, never a crash: Node
// throws for some failures (a NUL in an argument or in the environment) and emits 'error' on
// the next tick for others (EMFILE, ENOENT, EACCES, a missing cwd), on a child without a pid.
// A listener is attached before that tick, so the 'error' is never unhandled.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// Spawns `file`; returns the child, or null when it could not be started. `onFailure` gets the
// reason, once, on a later tick (also when a child without a pid is returned).
export function spawnChild(file: string, args: readonly string[], options: SpawnOptions, onFailure: (reason: string) => void): ChildProcess | null {
  let child: ChildProcess;
  try {
    child = spawn(file, args, options);
  } catch (error) {
    const reason = (error as Error).message;
    setImmediate(() => onFailure(reason));
    return null;
  }
  child.on('error', (error) => {
    if (child.pid === undefined) onFailure(error.message);
  });
  return child;
}
