// `supervisor forget <config>`: the master drops a config file it loaded: the file's apps stop
// gracefully and leave, and the file is no longer reloaded or watched. Waits, printing progress.
import path from 'node:path';
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Forgets `file`; resolves with the exit code.
export async function forget(file: string, opts: MasterCallOptions): Promise<ExitCode> {
  const res = await callMaster(opts, 'forget', { config: path.resolve(file) }, true, 'forget failed: ');
  if (res.message) process.stdout.write(`${res.message}\n`);
  return EXIT.OK;
}
