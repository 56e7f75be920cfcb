// `supervisor reload [app]` and `supervisor restart [app]`: the master rolls the apps (the
// same Master.reload path as SIGHUP) or restarts them all at once; this waits, printing
// progress, and exits non-zero with the reason when the reload was aborted.
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Rolls (reload) or restarts `app`, or every app; resolves with the exit code.
export async function roll(verb: 'reload' | 'restart', app: string | undefined, opts: MasterCallOptions): Promise<ExitCode> {
  const res = await callMaster(opts, verb, app === undefined ? {} : { app }, true, `${verb} failed: `);
  if (res.message) process.stdout.write(`${res.message}\n`);
  return EXIT.OK;
}
