// The runtime home: pidfile, control socket and logs live here (SUPERVISOR_HOME, --home,
// or ~/.supervisor), created with mode 0700.
import { mkdirSync, chmodSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

// Creates the home (0700) and its logs dir; throws a clear error when it cannot.
export function ensureHome(dir: string): HomePaths {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw Object.assign(new Error(`home ${dir} belongs to uid ${st.uid}, not to you (uid ${process.getuid()})`), { code: 'EPERM' });
  }
  chmodSync(dir, 0o700);
  const paths = homePaths(dir);
  mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  return paths;
}
