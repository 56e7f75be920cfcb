// The <config> argument of `start`, `run` and `check`: it must be a readable file that others
// cannot write, or the verb stops with one clear error and exit code 2 before anything starts.
// The file is evaluated (user code) only in the loader child, once per verb: `run` reads it
// here and boots with the result; `start` lets the daemon read it and report back.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfigIsolated } from '../config/load-isolated.js';
import { untrustedReason } from '../config/trust.js';
import type { Config } from '../config/types.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// How the config is to be read: the env_<name> block, and whether others may write it.
export interface ConfigArgOptions { readonly env?: string | null; readonly insecureConfig?: boolean }

// Resolves the config file and checks that it can be read and trusted, without evaluating it.
export function checkedConfig(file: string, opts: ConfigArgOptions = {}): string {
  const absolute = path.resolve(file);
  try {
    accessSync(absolute, constants.R_OK);
    if (!statSync(absolute).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
  } catch (error) {
    throw new CliError(`cannot read the config ${absolute}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}; expected an ecosystem file (.json, .config.js, .cjs, .mjs)`, EXIT.USAGE);
  }
  const distrust = opts.insecureConfig ? null : untrustedReason(absolute);
  if (distrust) throw new CliError(`refusing the config ${absolute}: ${distrust}. Pass --insecure-config to accept it anyway`, EXIT.USAGE);
  return absolute;
}

// Checks, then reads and validates the config (in the loader child); returns it.
export async function loadedConfig(file: string, opts: ConfigArgOptions = {}): Promise<Config> {
  const absolute = checkedConfig(file, opts);
  const result = await loadConfigIsolated(absolute, { env: opts.env ?? null, insecure: opts.insecureConfig ?? false });
  if (!result.ok) throw new CliError(`config rejected, nothing changed:\n${result.error.message}`, EXIT.USAGE);
  return result.config;
}
