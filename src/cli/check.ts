// `supervisor check <file> [--env name]`: validates an ecosystem file with the same loader the
// master uses, without a master. Imports only config code, so it stays quick.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { ConfigError, formatIssues } from '../config/errors.js';
import { summarizeConfig } from '../config/summary.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Options of `supervisor check`.
export interface CheckOptions { readonly env?: string }

// Prints every problem (exit 2) or a one-line summary of what would run (exit 0).
export async function check(file: string, opts: CheckOptions): Promise<ExitCode> {
  const absolute = path.resolve(file);
  try {
    const config = await loadConfig(absolute, { env: opts.env ?? null });
    if (config.warnings?.length) process.stderr.write(formatIssues(absolute, config.warnings).replace(/^/gm, 'warning: ') + '\n');
    process.stdout.write(`${absolute}: ok: would run ${summarizeConfig(config)}\n`);
    return EXIT.OK;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.issues.length;
    process.stderr.write(error.message + '\n');
    if (error.warnings.length) process.stderr.write(formatIssues(absolute, error.warnings).replace(/^/gm, 'warning: ') + '\n');
    process.stderr.write(`${absolute}: invalid: ${count} problem${count === 1 ? '' : 's'}\n`);
    return EXIT.USAGE;
  }
}
