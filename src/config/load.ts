// load -> validate -> normalize -> freeze, in this process. It evaluates user code, so only
// the loader child (loader-main.ts) calls it; everyone else uses load-isolated.ts.
import path from 'node:path';
import { ConfigError, type ConfigIssue } from './errors.js';
import { normalizeApp, normalizeConfig } from './normalize.js';
import { validateSemantics, validateShape } from './validate.js';
import type { Findings } from './issue-text.js';
import { validateFiles } from './check-files.js';
import { readEcosystem } from './read-source.js';
import { deepFreeze } from './freeze.js';
import type { Config } from './types.js';

// How to load: which env_<name> block to merge over env (`--env <name>`).
export interface LoadOptions { readonly env?: string | null }

const appIndex = (p: string) => Number(/^apps\[(\d+)\]/.exec(p)?.[1] ?? -1);

// Issues ordered as the file reads: top-level first, then app by app (a stable sort).
function inFileOrder(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => appIndex(a.path) - appIndex(b.path));
}

// Reads and checks a config file; throws ConfigError listing every issue at once.
export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<Config> {
  const absolute = path.resolve(file);
  const envName = opts.env ?? null;
  const raw = await readEcosystem(absolute);
  const found: Findings = { errors: [], warnings: [] };
  const shape = validateShape(raw, found, envName);
  const issues: ConfigIssue[] = found.errors;
  // Cross-app and file checks run on every app that is valid on its own, so one pass reports all.
  const specs = shape.validApps.map(({ index, app }) => ({ index, spec: normalizeApp(app, path.dirname(absolute), `apps[${index}]`, issues, found.warnings) }));
  validateSemantics(specs, issues);
  validateFiles(specs, issues);
  if (!shape.input || issues.length) throw new ConfigError(absolute, inFileOrder(issues), found.warnings);
  const config = { ...normalizeConfig(shape.input, absolute, []), apps: specs.map((s) => s.spec) };
  return deepFreeze({ ...config, warnings: found.warnings, envName });
}
