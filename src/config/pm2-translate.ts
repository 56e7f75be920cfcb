// Reads a file the way PM2 reads it, before the strict schema sees it: a single app object or
// a bare list is an `apps` list; PM2's aliases become our keys; `port`, `treekill`,
// `disable_logs`, `append_env_to_name`, a script with spaces and a missing name are
// translated as PM2 translates them; duplicate names get a suffix; keys PM2 would ignore
// (not close to any key we know) are ignored with a warning. Every change is told as a
// warning or an error naming the path. See pm2-keys.ts for the table it follows.
import { nameFromScript } from './app-name.js';
import { formatPath } from './errors.js';
import type { Findings } from './issue-text.js';
import { PM2_APP_KEYS, PM2_ROOT_KEYS } from './pm2-keys.js';
import { appSchema, ecosystemSchema, ENV_BLOCK_KEY } from './schema.js';
import { closestKey } from './suggest.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const APP_KEYS = Object.keys(appSchema.shape);
const ROOT_KEYS = Object.keys(ecosystemSchema.shape);
const KNOWN_APP_KEYS = [...new Set([...APP_KEYS, ...Object.keys(PM2_APP_KEYS)])];

// The apps list of a file: PM2 takes a bare list, or a single app object, as the apps.
function appsOf(raw: unknown): Obj | null {
  if (Array.isArray(raw)) return { apps: raw };
  if (!isObject(raw)) return null;
  if ('apps' in raw) return isObject(raw.apps) ? { ...raw, apps: [raw.apps] } : raw;
  return typeof raw.script === 'string' || typeof raw.exec === 'string' ? { apps: [raw] } : raw;
}

function rootKeys(raw: Obj, out: Findings): Obj {
  const rest: Obj = {};
  for (const [key, value] of Object.entries(raw)) {
    if (ROOT_KEYS.includes(key)) rest[key] = value;
    else if (Object.hasOwn(PM2_ROOT_KEYS, key) || /^env_/.test(key)) rest[key] = value; // validate.ts reports these
    else if (closestKey(key, ROOT_KEYS) === null) out.warnings.push({ path: key, message: `unknown top-level key "${key}" is ignored (PM2 ignores it too); expected one of: ${ROOT_KEYS.join(', ')}` });
    else rest[key] = value;
  }
  return rest;
}

const words = (v: unknown): string[] => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : Array.isArray(v) ? v.map(String) : []);

// One app entry, translated; problems go to `out` with paths under `at`.
function translateApp(app: Obj, at: readonly PropertyKey[], envName: string | null, out: Findings): Obj {
  const p = (key: string) => formatPath([...at, key]);
  const a: Obj = {};
  for (const [key, value] of Object.entries(app)) {
    // YAML's `env:` with nothing under it is null: PM2 treats it as no env.
    if (value === null && (key === 'env' || ENV_BLOCK_KEY.test(key))) continue;
    // PM2 accepts a string for env_<name> and does nothing with it (env_file: ".env" loads nothing).
    if (typeof value === 'string' && ENV_BLOCK_KEY.test(key)) {
      out.warnings.push({ path: p(key), message: `"${key}" is not an env block (PM2 ignores a string here too): it is ignored${key === 'env_file' ? '; no .env file is read, put the variables in "env"' : ''}` });
      continue;
    }
    const t = PM2_APP_KEYS[key];
    if (t?.kind === 'alias' && !Object.hasOwn(appSchema.shape, key)) {
      if (Object.hasOwn(app, t.of)) out.errors.push({ path: p(key), message: `"${key}" is PM2's other name for "${t.of}", which is set too; keep one` });
      else if (!Object.hasOwn(a, t.of)) a[t.of] = value;
      continue;
    }
    if (!Object.hasOwn(appSchema.shape, key) && !t && !ENV_BLOCK_KEY.test(key) && closestKey(key, KNOWN_APP_KEYS) === null) {
      out.warnings.push({ path: p(key), message: `unknown key "${key}" is ignored (PM2 ignores it too)` });
      continue;
    }
    a[key] = value;
  }
  if (typeof a.instances === 'string' && /^\s*-?\d+\s*$/.test(a.instances)) a.instances = Number(a.instances);
  if (a.cron_restart === 0 || a.cron_restart === '0' || a.cron_restart === false) delete a.cron_restart;
  if ('time' in a) delete a.time; // lines are always timestamped
  if (isObject(a.watch_options)) a.watch_options = watchOptions(a.watch_options, [...at, 'watch_options'], out);
  if ('port' in a) {
    const port = typeof a.port === 'string' && /^\d+$/.test(a.port) ? Number(a.port) : a.port;
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) a.env = { ...(isObject(a.env) ? a.env : {}), PORT: String(port) };
    else out.errors.push({ path: p('port'), message: 'expected a port number 0-65535 (PM2 sets env.PORT from it)' });
    delete a.port;
  }
  if ('treekill' in a) {
    if (typeof a.treekill !== 'boolean') out.errors.push({ path: p('treekill'), message: 'expected true or false' });
    else if (!('kill_group' in a)) a.kill_group = a.treekill;
    delete a.treekill;
  }
  if ('disable_logs' in a) {
    if (a.disable_logs === true) {
      a.out_file ??= '/dev/null';
      a.error_file ??= '/dev/null';
    } else if (a.disable_logs !== false) out.errors.push({ path: p('disable_logs'), message: 'expected true or false' });
    delete a.disable_logs;
  }
  if ('autostart' in a) {
    if (a.autostart !== true) out.errors.push({ path: p('autostart'), message: `expected true: every app of a file starts with it; remove the app, or stop it with \`supervisor stop <app>\`` });
    delete a.autostart;
  }
  if ('append_env_to_name' in a) {
    if (a.append_env_to_name === true && envName !== null && typeof a.name === 'string') a.name = `${a.name}-${envName}`;
    delete a.append_env_to_name;
  }
  if (typeof a.script === 'string' && a.name === undefined) a.name = a.script.includes(' ') ? a.script : nameFromScript(a.script);
  // PM2 runs a script with spaces through bash -c; here its args follow the command.
  if (typeof a.script === 'string' && a.script.trim().includes(' ') && a.interpreter === undefined) {
    a.args = ['-c', `${a.script.trim()} "$@"`, 'bash', ...words(a.args)];
    a.script = 'bash';
  }
  return a;
}

// chokidar options that would break the master's watcher, each with what to do instead.
const REFUSED_WATCH_OPTIONS: Readonly<Record<string, string>> = {
  ignored: 'use "ignore_watch" (paths or globs)',
  cwd: 'paths in "watch" are relative to the app\'s cwd already',
  persistent: 'only true: the master keeps its watchers open',
  ignoreInitial: 'only true: otherwise every file found at start would roll the app',
  disableGlobbing: 'remove it: chokidar no longer expands globs; list paths in "watch"',
};
// Polling more often than this would keep the master busy.
const MIN_POLL_MS = 100;

function watchOptions(opts: Obj, at: readonly PropertyKey[], out: Findings): Obj {
  const o: Obj = {};
  for (const [key, value] of Object.entries(opts)) {
    const p = formatPath([...at, key]);
    if (key === 'useFsEvents') {
      out.warnings.push({ path: p, message: 'is ignored: fsevents is macOS only' });
    } else if (Object.hasOwn(REFUSED_WATCH_OPTIONS, key) && !((key === 'persistent' || key === 'ignoreInitial') && value === true)) {
      out.errors.push({ path: p, message: `this chokidar option is not accepted: ${REFUSED_WATCH_OPTIONS[key]}` });
    } else if ((key === 'interval' || key === 'binaryInterval') && typeof value === 'number' && value < MIN_POLL_MS) {
      out.warnings.push({ path: p, message: `${value} ms is raised to ${MIN_POLL_MS} ms: polling more often would keep the master busy` });
      o[key] = MIN_POLL_MS;
    } else {
      o[key] = value;
    }
  }
  return o;
}

// Duplicate names run as "<name>-2", "-3", ...: every verb must address one app.
function renameDuplicates(apps: unknown[], out: Findings): void {
  const taken = new Set(apps.flatMap((a) => (isObject(a) && typeof a.name === 'string' ? [a.name] : [])));
  const first = new Map<string, number>();
  apps.forEach((app, i) => {
    if (!isObject(app) || typeof app.name !== 'string') return;
    const at = first.get(app.name);
    if (at === undefined) return void first.set(app.name, i);
    let n = 2;
    while (taken.has(`${app.name}-${n}`)) n++;
    const renamed = `${app.name}-${n}`;
    taken.add(renamed);
    out.warnings.push({ path: `apps[${i}].name`, message: `"${app.name}" is also apps[${at}].name; this app runs as "${renamed}" (names must be unique for the CLI verbs)` });
    app.name = renamed;
  });
}

// The file as the schema expects it, translated from PM2's forms; findings go to `out`.
export function translatePm2(raw: unknown, envName: string | null, out: Findings): unknown {
  const shaped = appsOf(raw);
  if (shaped === null) return raw;
  const root = rootKeys(shaped, out);
  if (!Array.isArray(root.apps)) return root;
  const apps = root.apps.map((app: unknown, i) => (isObject(app) ? translateApp(app, ['apps', i], envName, out) : app));
  renameDuplicates(apps, out);
  return { ...root, apps };
}
