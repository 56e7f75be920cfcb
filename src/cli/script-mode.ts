// `supervisor start app.js [-i N] [--name api] [--listen 3000] [-- args]`: one script run as
// one app, without an ecosystem file. The CLI writes the ecosystem file it stands for into
// the home (<home>/scripts/<name>.json, mode 0600), and the master runs that file like any
// other: `reload` re-reads it, `forget` drops it, `status` names it.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nameFromScript } from '../config/app-name.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';
import { targetKind } from './target.js';

// The options `start` and `run` take for a script.
export interface ScriptOptions {
  readonly instances?: string;
  readonly name?: string;
  readonly listen?: string;
  readonly metrics?: boolean;
}

// True when any script-only option was given.
export const hasScriptOptions = (o: ScriptOptions): boolean => o.instances !== undefined || o.name !== undefined || o.listen !== undefined || o.metrics === false;

// The ecosystem file a script run stands for. Paths are absolute; cwd is the shell's, as in PM2.
export function scriptEcosystem(script: string, opts: ScriptOptions, args: readonly string[]): Record<string, unknown> {
  const app: Record<string, unknown> = { name: opts.name ?? nameFromScript(script), script: path.resolve(script), cwd: process.cwd() };
  if (opts.instances !== undefined) app.instances = /^-?\d+$/.test(opts.instances) ? Number(opts.instances) : opts.instances;
  if (opts.listen !== undefined) app.listen = /^\d+$/.test(opts.listen) ? Number(opts.listen) : opts.listen;
  if (args.length) app.args = [...args];
  return { apps: [app], ...(opts.metrics === false ? { metrics: false } : {}) };
}

// Writes the ecosystem file of a script run under `dir` and returns its path.
export function writeScriptEcosystem(dir: string, script: string, opts: ScriptOptions, args: readonly string[]): string {
  const ecosystem = scriptEcosystem(script, opts, args);
  const name = String((ecosystem.apps as { name: string }[])[0]!.name);
  if (name.includes('/') || name === '' || name === '.' || name === '..') throw new CliError(`--name: expected a name without "/", got "${name}"`, EXIT.USAGE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(ecosystem, null, 2) + '\n', { mode: 0o600 });
  return file;
}

// The ecosystem file `start`/`run` go on with: the file itself when it is one, else (a script)
// the file written for it under <home>/scripts. Script options on an ecosystem file are refused.
export function ecosystemFor(target: string, opts: ScriptOptions, args: readonly string[], homeDir: string): string {
  if (targetKind(path.resolve(target)) === 'config') {
    if (hasScriptOptions(opts) || args.length) throw new CliError(`${target} is an ecosystem file: -i, --name, --listen, --no-metrics and arguments after it are for a script (supervisor start app.js -i 2)`, EXIT.USAGE);
    return target;
  }
  return writeScriptEcosystem(path.join(homeDir, 'scripts'), target, opts, args);
}

// True when `target` names a file (a script or a config), not an app.
export function isFileTarget(target: string): boolean {
  try {
    statSync(target);
    return true; // a directory too: the file verbs say it is not a file
  } catch {
    return /[/\\]|\.(json|ya?ml|c?js|mjs)$/.test(target); // a missing path: the file verbs say so
  }
}
