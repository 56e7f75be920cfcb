// `supervisor check <file> [--env name]`: validates an ecosystem file with the same loader the
// master uses (a child in the file's folder), without a master. Loads no master code.
import path from 'node:path';
import { formatIssues } from '../config/errors.js';
import { loadConfigIsolated } from '../config/load-isolated.js';
import { summarizeConfig } from '../config/summary.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Options of `supervisor check`.
export interface CheckOptions { readonly env?: string }

const warn = (file: string, warnings: readonly { path: string; message: string }[]) => {
  if (warnings.length) process.stderr.write(formatIssues(file, warnings).replace(/^/gm, 'warning: ') + '\n');
};

// Prints every problem (exit 2) or a one-line summary of what would run (exit 0).
export async function check(file: string, opts: CheckOptions): Promise<ExitCode> {
  const absolute = path.resolve(file);
  const result = await loadConfigIsolated(absolute, { env: opts.env ?? null, insecure: true });
  if (result.ok) {
    warn(absolute, result.config.warnings ?? []);
    process.stdout.write(`${absolute}: ok: would run ${summarizeConfig(result.config)}\n`);
    return EXIT.OK;
  }
  const count = result.error.issues.length;
  process.stderr.write(result.error.message + '\n');
  warn(absolute, result.error.warnings);
  process.stderr.write(`${absolute}: invalid: ${count} problem${count === 1 ? '' : 's'}\n`);
  return EXIT.USAGE;
}
