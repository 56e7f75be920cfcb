// `supervisor stop [app]`: stops one app gracefully, or every app and then the master; with
// no app it returns only once the master process is gone (and with it the pidfile).
import { processAlive } from '../runtime/proc.js';
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { waitUntil } from '../runtime/wait-until.js';

// Stops `app`, or the whole master when `app` is undefined; resolves with the exit code.
export async function stop(app: string | undefined, opts: MasterCallOptions): Promise<ExitCode> {
  if (app !== undefined) {
    const res = await callMaster(opts, 'stop', { app }, true, 'stop failed: ');
    process.stdout.write(`${res.message ?? `${app} stopped`}\n`);
    return EXIT.OK;
  }
  const ping = await callMaster(opts, 'ping');
  const pid = (ping.data as { pid: number }).pid;
  await callMaster(opts, 'stop', {}, true, 'stop failed: ');
  if (!(await waitUntil(() => !processAlive(pid), 15_000))) throw new CliError(`the master (pid ${pid}) stopped its apps but has not exited after 15 s`, EXIT.TIMEOUT);
  process.stdout.write(`master stopped (pid ${pid})\n`);
  return EXIT.OK;
}
