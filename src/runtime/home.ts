// The runtime home: pidfile, control socket and logs live here (SUPERVISOR_HOME, --home,
// or ~/.supervisor), created with mode 0700. It is trusted only if it is ours: a home, a
// logs dir or a runtime file there that is a symbolic link, belongs to another user or can be
// written by others is refused with the fix (home-trust.ts).
import { closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertOwnEntry, lstatOrNull, trustProblem, UntrustedPathError } from './home-trust.js';

// Where each runtime file of one home lives.
export interface HomePaths {
  readonly dir: string;
  readonly pidfile: string;
  readonly socket: string;
  readonly logs: string;
  readonly masterLog: string;
  readonly pids: string;
}

// Resolves the home directory from an explicit flag, the environment, or the default.
export function resolveHome(flag?: string): string {
  return path.resolve(flag ?? process.env.SUPERVISOR_HOME ?? path.join(os.homedir(), '.supervisor'));
}

// The paths inside a home.
export function homePaths(dir: string): HomePaths {
  return {
    dir,
    pidfile: path.join(dir, 'supervisor.pid'),
    socket: path.join(dir, 'supervisor.sock'),
    logs: path.join(dir, 'logs'),
    masterLog: path.join(dir, 'logs', 'supervisor.log'),
    pids: path.join(dir, 'workers.pids'),
  };
}

// Makes `dir` (created 0700 if missing) a directory of ours with mode 0700: checked without
// following a link, then chmodded through the very fd that was checked.
function ownPrivateDir(dir: string, what: string, recursive: boolean): void {
  if (lstatOrNull(dir) === null) mkdirSync(dir, { recursive, mode: 0o700 });
  assertOwnEntry(dir, what);
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    const problem = trustProblem(dir, fstatSync(fd), what);
    if (problem) throw new UntrustedPathError(problem);
    fchmodSync(fd, 0o700);
  } finally {
    closeSync(fd);
  }
}

// Creates (0700) and checks the home, its logs dir and the runtime files already there;
// throws a clear error (UntrustedPathError: what is wrong and the fix) when one is not ours.
export function ensureHome(dir: string): HomePaths {
  ownPrivateDir(dir, 'the home', true);
  const paths = homePaths(dir);
  ownPrivateDir(paths.logs, 'the logs dir', false);
  for (const [file, what] of [[paths.pidfile, 'the pidfile'], [paths.socket, 'the control socket'], [paths.pids, 'the worker pid file'], [paths.masterLog, 'the master log']] as const) {
    assertOwnEntry(file, what);
  }
  return paths;
}
