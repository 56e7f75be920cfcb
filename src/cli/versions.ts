// `supervisor version`: the installed version and the running master's, which differ after
// the package was upgraded until `supervisor upgrade` switches the master to it.
import { installedEntry, installedVersion } from '../runtime/versions.js';
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';

// Prints both versions; resolves with the exit code (0 also when no master runs).
export async function versions(opts: MasterCallOptions & { readonly json?: boolean }): Promise<ExitCode> {
  const entry = installedEntry();
  const installed = installedVersion(entry);
  let master: { pid: number; version: string } | null = null;
  try {
    const res = await callMaster(opts, 'ping');
    const data = res.data as { pid?: unknown; version?: unknown };
    if (typeof data.pid === 'number') master = { pid: data.pid, version: typeof data.version === 'string' ? data.version : 'unknown (older than 0.2)' };
  } catch (error) {
    if (!(error instanceof CliError && error.exitCode === EXIT.NO_MASTER)) throw error;
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({ installed, entry, master }) + '\n');
    return EXIT.OK;
  }
  process.stdout.write(`installed: ${installed} (${entry})\n`);
  process.stdout.write(master ? `master:    ${master.version} (pid ${master.pid})${master.version === installed ? '' : '; "supervisor upgrade" switches it to the installed version'}\n` : 'master:    none running\n');
  return EXIT.OK;
}
