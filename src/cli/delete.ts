// `supervisor delete <app>`: stops the app gracefully and forgets it until its config file is
// read again (`supervisor reload`, or a change to the file): PM2's delete. Waits and prints progress.
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Deletes `app`; resolves with the exit code.
export async function deleteApp(app: string, opts: MasterCallOptions): Promise<ExitCode> {
  const res = await callMaster(opts, 'delete', { app }, true, 'delete failed: ');
  process.stdout.write(`${res.message ?? `${app} stopped`}; deleted until its config file is read again (supervisor reload)\n`);
  return EXIT.OK;
}
