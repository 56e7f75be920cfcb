// load -> validate -> normalize -> freeze. The only config entry point the master uses.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type ConfigIssue } from './errors.js';
import { normalizeConfig } from './normalize.js';
import { validateSemantics, validateShape } from './validate.js';
import { deepFreeze } from './freeze.js';
import type { Config } from './types.js';

const MAX_BYTES = 1024 * 1024;

async function readRaw(file: string): Promise<unknown> {
  if (/\.(c|m)?js$/.test(file)) {
    const mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
    return mod.default;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  if (Buffer.byteLength(text) > MAX_BYTES) throw new ConfigError(file, [{ path: '', message: `file is larger than ${MAX_BYTES} bytes; expected a small JSON ecosystem file` }]);
  if (text.trim() === '') throw new ConfigError(file, [{ path: '', message: 'file is empty; expected a JSON object with an "apps" array' }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `invalid JSON: ${(err as Error).message}` }]);
  }
}

// Reads and checks a config file; throws ConfigError listing every issue.
export async function loadConfig(file: string): Promise<Config> {
  const absolute = path.resolve(file);
  const raw = await readRaw(absolute);
  const issues: ConfigIssue[] = [];
  const input = validateShape(raw, issues);
  if (!input) throw new ConfigError(absolute, issues);
  const config = normalizeConfig(input, absolute, issues);
  validateSemantics(config, issues);
  if (issues.length) throw new ConfigError(absolute, issues);
  return deepFreeze(config);
}
