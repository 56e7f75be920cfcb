// The PM2 corpus (test/fixtures/pm2-corpus.json): facts about real ecosystem files, and a
// writer that rebuilds a file from each entry in its own format, with every script and
// working directory it names created (absolute paths moved under the entry's folder), so
// that `supervisor check` judges the keys, not the machine it runs on.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as yamlStringify } from 'yaml';
import { fixture } from './paths.js';

type Obj = Record<string, unknown>;

// One corpus entry, as stored.
export interface CorpusEntry {
  readonly source: { readonly repo: string; readonly path: string };
  readonly format: 'js' | 'cjs' | 'json' | 'json5' | 'yaml';
  readonly layout: 'apps' | 'single-app';
  readonly top_level?: Readonly<Record<string, 'object' | 'list'>>;
  // Set when the file is refused on purpose; the reason.
  readonly expected?: string;
  readonly apps: readonly Obj[];
}

// Every entry of the corpus.
export function corpus(): CorpusEntry[] {
  return (JSON.parse(readFileSync(fixture('pm2-corpus.json'), 'utf8')) as { files: CorpusEntry[] }).files;
}

// True for an entry with an app that asks for PM2's cluster mode.
export const usesCluster = (e: CorpusEntry): boolean => e.apps.some((a) => a.exec_mode === 'cluster' || a.exec_mode === 'cluster_mode');

const KIND_VALUE: Readonly<Record<string, unknown>> = { string: 'x', number: 1, boolean: true };
const PATH_KEYS = ['cwd', 'out_file', 'error_file', 'log_file', 'err_file', 'output', 'error', 'out', 'pid_file', 'interpreter'];

// Env blocks hold kinds; args may be the kind "string".
function materialize(key: string, value: unknown, root: string): unknown {
  if ((key === 'env' || key.startsWith('env_')) && value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Obj).map(([k, kind]) => [k, KIND_VALUE[String(kind)] ?? 'x']));
  }
  if (key === 'args' && value === 'string') return '--flag value';
  if (PATH_KEYS.includes(key) && typeof value === 'string' && path.isAbsolute(value)) return path.join(root, 'abs', value);
  return value;
}

// A script that names a file (not a command on PATH, not a command line with spaces).
const namesFile = (script: string) => !script.includes(' ') && (script.includes('/') || path.extname(script) !== '');

function render(entry: CorpusEntry, body: unknown): string {
  const text = JSON.stringify(body, null, 2);
  switch (entry.format) {
    case 'js': case 'cjs': return `// Rebuilt from facts about ${entry.source.repo}/${entry.source.path}\nmodule.exports = ${text};\n`;
    case 'json': return text + '\n';
    // PM2 evaluates .json files as JavaScript: comments and unquoted keys are found in the wild.
    case 'json5': return `{\n  // rebuilt from facts\n  apps: ${JSON.stringify((body as Obj).apps ?? [body], null, 2).replace(/\n/g, '\n  ')},\n}\n`;
    case 'yaml': return yamlStringify(body);
  }
}

// Writes the entry's file (and the files it names) under `dir`; returns the file's path.
export function writeCorpusEntry(entry: CorpusEntry, dir: string): string {
  const apps = entry.apps.map((app) => Object.fromEntries(Object.entries(app).map(([k, v]) => [k, materialize(k, v, dir)])));
  for (const app of apps) {
    const cwd = path.resolve(dir, typeof app.cwd === 'string' ? app.cwd : '.');
    mkdirSync(cwd, { recursive: true });
    if (typeof app.script === 'string' && namesFile(app.script)) {
      const script = path.resolve(cwd, app.script);
      mkdirSync(path.dirname(script), { recursive: true });
      // interpreter "none" runs the script itself: the real one is executable.
      writeFileSync(script, '// placeholder\n', { mode: app.interpreter === 'none' ? 0o755 : 0o644 });
    }
  }
  const top = Object.fromEntries(Object.entries(entry.top_level ?? {}).map(([k, kind]) => [k, kind === 'list' ? [{ repo: 'r' }] : { production: { user: 'u' } }]));
  const body = entry.layout === 'single-app' ? apps[0] : { apps, ...top };
  const file = path.join(dir, path.basename(entry.source.path));
  writeFileSync(file, render(entry, body), { mode: 0o644 });
  return file;
}
