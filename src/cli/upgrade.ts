// `supervisor upgrade`: the running master starts the master of the installed version, which
// takes over its sockets, apps and control socket; this waits until the new master runs every
// app and the old one has finished its workers and exited, printing progress. It exits
// non-zero with the reason when the new master did not take over (the old one goes on).
import { processAlive } from '../runtime/proc.js';
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { waitUntil } from '../runtime/wait-until.js';

// How long the old master may take to finish its workers (their kill_timeout) and exit.
const OLD_MASTER_EXIT_MS = 300_000;

// Upgrades the master; resolves with the exit code.
export async function upgrade(opts: MasterCallOptions): Promise<ExitCode> {
  const res = await callMaster(opts, 'upgrade', {}, true, 'upgrade failed: ');
  if (res.message) process.stdout.write(`${res.message}\n`);
  const from = (res.data as { from?: unknown } | undefined)?.from;
  if (typeof from !== 'number') return EXIT.OK;
  if (!(await waitUntil(() => !processAlive(from), OLD_MASTER_EXIT_MS, 100))) {
    throw new CliError(`the old master (pid ${from}) is still finishing its workers after ${OLD_MASTER_EXIT_MS / 1000} s; the new master serves meanwhile`, EXIT.TIMEOUT);
  }
  process.stdout.write(`old master pid ${from} exited\n`);
  return EXIT.OK;
}
