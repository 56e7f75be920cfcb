// The hidden `master-daemon` verb: what `supervisor start` re-spawns itself as, and what a
// master that upgrades itself starts (with the handoff in its environment). It refuses to
// run unless a launcher started it, so a user typing it by hand gets a clear error.
import { ENV_DAEMON } from '../protocol/daemon.js';
import { ENV_UPGRADE, parseHandoff } from '../protocol/upgrade.js';
import { runDaemon, type DaemonOptions } from '../runtime/daemon.js';
import { closeInheritedFds } from '../runtime/inherited-fds.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// Runs the daemon body; resolves with its exit code.
export async function daemonMain(config: string, opts: { home: string; umask: string; jsonLogs?: boolean; env?: string; insecureConfig?: boolean; watchConfig?: boolean }): Promise<number> {
  if (process.env[ENV_DAEMON] !== '1' || !process.send) throw new CliError('master-daemon is internal: use "supervisor start <config>"', EXIT.USAGE);
  delete process.env[ENV_DAEMON];
  const handed = process.env[ENV_UPGRADE];
  delete process.env[ENV_UPGRADE];
  const handoff = handed === undefined ? null : parseHandoff(handed);
  if (typeof handoff === 'string') throw new CliError(`master-daemon: ${handoff}`, EXIT.USAGE);
  // The launcher's caller's fds: before anything is opened or spawned (an upgrade's sockets stay).
  closeInheritedFds(handoff ? [...handoff.sockets.map((s) => s.fd), ...(handoff.metrics ? [handoff.metrics.fd] : [])] : []);
  const daemon: DaemonOptions = { config, home: opts.home, umask: parseInt(opts.umask, 8), jsonLogs: opts.jsonLogs ?? false, env: opts.env ?? null, insecureConfig: opts.insecureConfig ?? false, watchConfig: opts.watchConfig ?? null };
  const code = handoff === null ? await runDaemon(daemon) : await (await import('../runtime/takeover.js')).runTakeover(daemon, handoff);
  // Exit now, not when the loop empties: Node's teardown closes every handle left, and closing
  // a unix socket unlinks its path; after an upgrade the control socket and unix `listen`
  // sockets are still open here on purpose, and their paths are the new master's.
  process.exit(code);
}
