// The hidden `master-daemon` verb: what `supervisor start` re-spawns itself as. It refuses to
// run unless a launcher started it, so a user typing it by hand gets a clear error.
import { ENV_DAEMON } from '../protocol/daemon.js';
import { runDaemon } from '../runtime/daemon.js';
import { closeInheritedFds } from '../runtime/inherited-fds.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// Runs the daemon body; resolves with its exit code.
export async function daemonMain(config: string, opts: { home: string; umask: string; jsonLogs?: boolean; env?: string; insecureConfig?: boolean; watchConfig?: boolean }): Promise<number> {
  if (process.env[ENV_DAEMON] !== '1' || !process.send) throw new CliError('master-daemon is internal: use "supervisor start <config>"', EXIT.USAGE);
  delete process.env[ENV_DAEMON];
  closeInheritedFds(); // the launcher's caller's fds: before anything is opened or spawned
  return runDaemon({ config, home: opts.home, umask: parseInt(opts.umask, 8), jsonLogs: opts.jsonLogs ?? false, env: opts.env ?? null, insecureConfig: opts.insecureConfig ?? false, watchConfig: opts.watchConfig ?? null });
}
