// The <config> argument of `start` and `run`: it must be a readable file that validates,
// or the verb stops with one clear error and exit code 2 before anything starts.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { untrustedReason } from '../config/trust.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// How the config is to be read: the env_<name> block, and whether others may write it.
export interface ConfigArgOptions { readonly env?: string | null; readonly insecureConfig?: boolean }

// Resolves, reads and validates the config file; returns its absolute path.
export async function checkedConfig(file: string, opts: ConfigArgOptions = {}): Promise<string> {
  const absolute = path.resolve(file);
  try {
    accessSync(absolute, constants.R_OK);
    if (!statSync(absolute).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
  } catch (error) {
    throw new CliError(`cannot read the config ${absolute}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}; expected an ecosystem file (.json, .config.js, .cjs, .mjs)`, EXIT.USAGE);
  }
  const distrust = opts.insecureConfig ? null : untrustedReason(absolute);
  if (distrust) throw new CliError(`refusing the config ${absolute}: ${distrust}. Pass --insecure-config to accept it anyway`, EXIT.USAGE);
  try {
    await loadConfig(absolute, { env: opts.env ?? null });
  } catch (error) {
    throw new CliError(`config rejected, nothing changed:\n${(error as Error).message}`, EXIT.USAGE);
  }
  return absolute;
}
