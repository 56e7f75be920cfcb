// `supervisor scale <app> <n>`: sets an app's worker count; the other workers are untouched.
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { MAX_INSTANCES } from '../protocol/limits.js';

// Scales `app` to `count` workers; resolves with the exit code.
export async function scale(app: string, count: string, opts: MasterCallOptions): Promise<ExitCode> {
  const n = Number(count);
  if (!/^\d+$/.test(count) || !Number.isSafeInteger(n) || n > MAX_INSTANCES) throw new CliError(`scale: expected a whole number of workers from 0 to ${MAX_INSTANCES}, got "${count}"`, EXIT.USAGE);
  const res = await callMaster(opts, 'scale', { app, instances: n }, false, 'scale failed: ');
  process.stdout.write(`${res.message ?? `${app} scaled to ${n}`}\n`);
  return EXIT.OK;
}
