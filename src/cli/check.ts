// `supervisor check <file> [--env name]`: validates an ecosystem file with the same loader the
// master uses (a child in the file's folder), without a master. Loads no master code.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatIssues } from '../config/errors.js';
import { loadConfigIsolated } from '../config/load-isolated.js';
import { summarizeConfig } from '../config/summary.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { targetKind } from './target.js';
import { writeScriptEcosystem } from './script-mode.js';

// Options of `supervisor check`.
export interface CheckOptions { readonly env?: string }

const warn = (file: string, warnings: readonly { path: string; message: string }[]) => {
  if (warnings.length) process.stderr.write(formatIssues(file, warnings).replace(/^/gm, 'warning: ') + '\n');
};

// Prints every problem (exit 2) or a one-line summary of what would run (exit 0).
export async function check(file: string, opts: CheckOptions): Promise<ExitCode> {
  const absolute = path.resolve(file);
  let kind: 'config' | 'script' = 'config';
  try {
    kind = targetKind(absolute);
  } catch {
    // unreadable: the loader says why
  }
  // A script (not a config) is checked as `supervisor start <script>` would run it, never evaluated.
  const scratch = kind === 'script' ? mkdtempSync(path.join(os.tmpdir(), 'supervisor-check-')) : null;
  const loaded = scratch ? writeScriptEcosystem(scratch, absolute, {}, []) : absolute;
  const result = await loadConfigIsolated(loaded, { env: opts.env ?? null, insecure: true }).finally(() => scratch && rmSync(scratch, { recursive: true, force: true }));
  if (result.ok) {
    warn(absolute, result.config.warnings ?? []);
    process.stdout.write(`${absolute}: ok: ${scratch ? 'a script, not an ecosystem file: supervisor start would run it as ' : 'would run '}${summarizeConfig(result.config)}\n`);
    return EXIT.OK;
  }
  const count = result.error.issues.length;
  process.stderr.write(result.error.message + '\n');
  warn(absolute, result.error.warnings);
  process.stderr.write(`${absolute}: invalid: ${count} problem${count === 1 ? '' : 's'}\n`);
  return EXIT.USAGE;
}
