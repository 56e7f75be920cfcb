// The launcher's half of daemonizing: Node has no fork(), so `supervisor start` re-spawns the
// CLI as the master, detached (setsid: a new session, no controlling terminal), stdin on
// /dev/null, stdout and stderr on the master log, then waits for its readiness report and
// lets it go (unref). The launcher exits 0 only once every app's workers are ready.
import { spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAEMON_VERB, ENV_DAEMON, isDaemonReport, type DaemonFailure } from '../protocol/daemon.js';
import type { ErrorCode } from '../protocol/codes.js';
import type { HomePaths } from './home.js';
import { MASTER_NODE_FLAGS } from './master-flags.js';
import { closeQuietly } from './log-file.js';

// What the launcher asks of the daemon.
export interface LaunchOptions {
  readonly config: string;
  readonly home: HomePaths;
  readonly umask: number;
  readonly jsonLogs: boolean;
  readonly env: string | null;
  readonly insecureConfig: boolean;
  // --watch-config / --no-watch-config, or null to let the file decide.
  readonly watchConfig: boolean | null;
  // Gets each progress line of the daemon's first start.
  readonly progress?: (line: string) => void;
}

// How a launch ended: the daemon is ready, or it failed and is gone.
export type LaunchResult =
  | { readonly ok: true; readonly pid: number; readonly message: string }
  | { readonly ok: false; readonly kind: DaemonFailure; readonly message: string; readonly code?: ErrorCode };

const CLI_ENTRY = fileURLToPath(new URL('../cli/main.js', import.meta.url));

// Spawns the daemon master and waits until it reports ready or fails (and then has exited).
export function launchDaemon(opts: LaunchOptions): Promise<LaunchResult> {
  // Never through a link planted in the home's logs dir.
  const logFd = openSync(opts.home.masterLog, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o640);
  const args = [CLI_ENTRY, DAEMON_VERB, opts.config, '--home', opts.home.dir, '--umask', opts.umask.toString(8)];
  if (opts.jsonLogs) args.push('--json-logs');
  if (opts.env) args.push('--env', opts.env);
  if (opts.insecureConfig) args.push('--insecure-config');
  if (opts.watchConfig !== null) args.push(opts.watchConfig ? '--watch-config' : '--no-watch-config');
  // The daemon gets the same node flags as the CLI's shebang gives `run`.
  const child = spawn(process.execPath, [...MASTER_NODE_FLAGS, ...args], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, [ENV_DAEMON]: '1' },
  });
  closeQuietly(logFd);
  return new Promise((resolve) => {
    let failure: LaunchResult | null = null;
    child.on('message', (raw: unknown) => {
      if (!isDaemonReport(raw)) return;
      if (raw.type === 'supervisor:daemon-progress') {
        opts.progress?.(raw.line);
      } else if (raw.type === 'supervisor:daemon-ready') {
        child.removeAllListeners('exit');
        if (child.connected) child.disconnect();
        child.unref();
        resolve({ ok: true, pid: raw.pid, message: raw.message });
      } else {
        failure = { ok: false, kind: raw.kind, message: raw.message, ...(raw.code ? { code: raw.code } : {}) };
      }
    });
    child.once('error', (error) => resolve({ ok: false, kind: 'failed', message: `cannot start the daemon: ${error.message}` }));
    child.once('exit', (code, signal) => {
      resolve(failure ?? { ok: false, kind: 'failed', message: `the daemon exited (${signal ?? `code ${code}`}) before it was ready; see ${opts.home.masterLog}` });
    });
  });
}
