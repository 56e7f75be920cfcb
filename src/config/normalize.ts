// Fills in defaults and resolves paths: AppInput (as written) -> AppSpec (as run).
import { accessSync, constants, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInput, EcosystemInput } from './schema.js';
import type { AppSpec, Config, MetricsSpec } from './types.js';
import { parseDuration, parseSize } from './units.js';
import { parseListenAddress } from './listen-address.js';
import type { ConfigIssue } from './errors.js';
import { DEFAULTS } from './defaults.js';
import { clusterWish, execModeOf, hasNodeShebang } from './exec-mode.js';

// Re-exported so existing imports keep working; the values live in defaults.ts.
export { DEFAULTS };

const NODE_SCRIPT = /\.(c|m)?js$/;

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [...value];
}

function ms(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : parseDuration(value)!;
}

// PM2's interpreter for a script by its extension (its lib/API/interpreter.json); `python`
// is python3 here, as Debian and most distributions no longer ship a `python`.
const PM2_INTERPRETERS: Readonly<Record<string, string>> = {
  '.sh': 'bash', '.py': 'python3', '.rb': 'ruby', '.php': 'php', '.pl': 'perl', '.coffee': 'coffee', '.ls': 'lsc', '.ts': 'bun', '.tsx': 'bun',
};

function fileKind(p: string): 'executable' | 'file' | 'none' {
  try {
    if (!statSync(p).isFile()) return 'none';
    accessSync(p, constants.X_OK);
    return 'executable';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? 'file' : 'none';
  }
}

// The interpreter: the app's own; node for .js; else an executable script runs itself (its
// shebang), and any other runs as PM2 runs it: by its extension, or with node.
function interpreterFor(input: AppInput, cwd: string): string | null {
  if (input.interpreter !== undefined) return input.interpreter === 'none' ? null : input.interpreter;
  if (NODE_SCRIPT.test(input.script)) return 'node';
  const mapped = PM2_INTERPRETERS[path.extname(input.script)] ?? null;
  if (mapped === null && !input.script.includes('/')) return null; // a command looked up on PATH
  // Missing: a command looked up on PATH (no "/"), or reported missing by check-files.
  return fileKind(path.resolve(cwd, input.script)) === 'file' ? mapped ?? 'node' : null;
}

// PM2's instances: 0 or "max" one per CPU, -N that many fewer (at least 1).
function instancesOf(value: number | 'max' | undefined): number {
  const cpus = os.availableParallelism();
  if (value === undefined) return DEFAULTS.instances;
  if (value === 'max' || value === 0) return cpus;
  return value < 0 ? Math.max(1, cpus + value) : value;
}

function isNode(interpreter: string | null): boolean {
  return interpreter !== null && /(^|\/)node(js)?$/.test(interpreter);
}

// One app, normalized against the directory of the file it came from. Issues go to `issues`,
// warnings (a cluster mode that cannot be had) to `warnings`.
export function normalizeApp(input: AppInput, baseDir: string, at: string, issues: ConfigIssue[], warnings: ConfigIssue[] = []): AppSpec {
  const cwd = path.resolve(baseDir, input.cwd ?? '.');
  const wish = clusterWish(input);
  let interpreter = interpreterFor(input, cwd);
  // In cluster mode PM2 runs any script with node; an executable one whose #! line is node too.
  if (wish !== null && interpreter === null && input.interpreter === undefined && input.script.includes('/') && hasNodeShebang(path.resolve(cwd, input.script))) interpreter = 'node';
  const instances = instancesOf(input.instances);
  const listen = (Array.isArray(input.listen) ? input.listen : input.listen === undefined ? [] : [input.listen]).flatMap((value, i) => {
    const parsed = parseListenAddress(value, baseDir);
    if (typeof parsed === 'string') {
      issues.push({ path: `${at}.listen${Array.isArray(input.listen) ? `[${i}]` : ''}`, message: parsed });
      return [];
    }
    return [parsed];
  });
  const watch = input.watch === true ? [cwd] : input.watch === false || input.watch === undefined ? [] : list(input.watch).map((p) => path.resolve(cwd, p));
  const resolveFrom = (p: string | undefined) => (p === undefined ? null : path.resolve(cwd, p));
  return {
    name: input.name,
    script: interpreter === null && !input.script.includes('/') ? input.script : path.resolve(cwd, input.script),
    args: list(input.args),
    cwd,
    instances,
    interpreter,
    interpreter_args: list(input.interpreter_args),
    env: Object.fromEntries(Object.entries(input.env ?? {}).map(([k, v]) => [k, String(v)])),
    kill_timeout: ms(input.kill_timeout, DEFAULTS.kill_timeout),
    listen_timeout: ms(input.listen_timeout, DEFAULTS.listen_timeout),
    wait_ready: input.wait_ready ?? false,
    min_uptime: ms(input.min_uptime, DEFAULTS.min_uptime),
    max_restarts: input.max_restarts ?? DEFAULTS.max_restarts,
    start_retries: input.start_retries ?? DEFAULTS.start_retries,
    restart_delay: input.restart_delay === undefined ? null : parseDuration(input.restart_delay),
    exp_backoff_restart_delay: ms(input.exp_backoff_restart_delay, DEFAULTS.exp_backoff_restart_delay),
    autorestart: input.autorestart ?? true,
    stop_exit_codes: input.stop_exit_codes === undefined ? [] : [input.stop_exit_codes].flat(),
    max_memory_restart: input.max_memory_restart === undefined ? null : parseSize(input.max_memory_restart),
    watch,
    ignore_watch: list(input.ignore_watch),
    watch_delay: ms(input.watch_delay, DEFAULTS.watch_delay),
    out_file: resolveFrom(input.out_file),
    error_file: resolveFrom(input.error_file),
    log_file: input.log_file === true ? true : typeof input.log_file === 'string' ? path.resolve(cwd, input.log_file) : null,
    log_date_format: input.log_date_format ?? 'iso',
    max_line_length: input.max_line_length === undefined ? DEFAULTS.max_line_length : parseSize(input.max_line_length)!,
    max_log_size: input.max_log_size === undefined ? null : parseSize(input.max_log_size),
    max_log_files: input.max_log_files ?? DEFAULTS.max_log_files,
    uid: input.uid ?? null,
    gid: input.gid ?? null,
    listen,
    stop_signal: (input.stop_signal ?? DEFAULTS.stop_signal) as NodeJS.Signals,
    kill_group: input.kill_group ?? false,
    reload_surge: input.reload_surge ?? null,
    cron_restart: input.cron_restart ?? null,
    watch_options: input.watch_options ?? {},
    instance_var: input.instance_var ?? 'NODE_APP_INSTANCE',
    increment_var: input.increment_var ?? null,
    ipc: isNode(interpreter),
    exec_mode: execModeOf(wish, isNode(interpreter), input, at, warnings),
  };
}

// The whole file, normalized. Issues go to `issues`.
export function normalizeConfig(input: EcosystemInput, file: string, issues: ConfigIssue[]): Config {
  const baseDir = path.dirname(file);
  const apps = input.apps.map((app, i) => normalizeApp(app, baseDir, `apps[${i}]`, issues));
  const metrics: MetricsSpec | null =
    input.metrics === false ? null : { host: input.metrics?.host ?? DEFAULTS.metrics.host, port: input.metrics?.port ?? DEFAULTS.metrics.port, defaultPort: input.metrics?.port === undefined };
  return { file, apps, metrics, watchConfig: input.watch_config ?? false };
}
