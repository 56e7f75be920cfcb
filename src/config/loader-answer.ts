// What the loader child writes back, and the structural check the parent runs on it before
// trusting it: the child runs user code, which could write anything on the answer's fd, and
// no answer may crash the master. No zod here: the master does not load the schema.
import type { ConfigIssue } from './errors.js';
import type { AppSpec, Config } from './types.js';

// The child's answer: the normalized config, or every issue found.
export type LoaderAnswer =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[]; readonly warnings: readonly ConfigIssue[] };

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const int: Check = (v) => Number.isSafeInteger(v);
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const bool: Check = (v) => typeof v === 'boolean';
const orNull = (c: Check): Check => (v) => v === null || c(v);
const list = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);
const record = (c: Check): Check => (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(c);
const shape = (fields: Record<string, Check>): Check => (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.entries(fields).every(([k, c]) => c((v as Record<string, unknown>)[k]));

const listen: Check = (v) =>
  shape({ kind: (k) => k === 'tcp', host: str, port: int, text: str })(v) || shape({ kind: (k) => k === 'unix', path: str, text: str })(v);

const APP: Record<keyof AppSpec, Check> = {
  name: str, script: str, args: list(str), cwd: str, instances: int, interpreter: orNull(str), interpreter_args: list(str),
  env: record(str), kill_timeout: int, listen_timeout: int, wait_ready: bool, min_uptime: int, max_restarts: int, start_retries: int,
  restart_delay: orNull(int), exp_backoff_restart_delay: int, autorestart: bool, stop_exit_codes: list(int),
  max_memory_restart: orNull(num), watch: list(str), ignore_watch: list(str), watch_delay: int, out_file: orNull(str),
  error_file: orNull(str), log_file: (v) => v === null || v === true || str(v), log_date_format: str, uid: orNull((v) => str(v) || int(v)),
  gid: orNull((v) => str(v) || int(v)), listen: list(listen), stop_signal: str, kill_group: bool, reload_surge: orNull(int), ipc: bool,
  max_line_length: int, max_log_size: orNull(int), max_log_files: int,
  cron_restart: orNull(str), watch_options: record((v) => typeof v === 'boolean' || num(v) || record(num)(v)), instance_var: str, increment_var: orNull(str),
  exec_mode: (v) => v === 'fork' || v === 'cluster',
};
const issue = shape({ path: str, message: str });
const config = shape({
  file: str,
  apps: list(shape(APP)),
  metrics: orNull(shape({ host: str, port: int, defaultPort: bool })),
  watchConfig: bool,
  warnings: (v) => v === undefined || list(issue)(v),
  envName: (v) => v === undefined || orNull(str)(v),
});

// The answer in `text` for `file`, or why it cannot be trusted.
export function parseLoaderAnswer(text: string, file: string): LoaderAnswer | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'the config loader sent an answer that is not JSON (does the config write to fd 3?)';
  }
  if (shape({ ok: (v) => v === true, config })(raw)) {
    const answer = raw as { ok: true; config: Config };
    return answer.config.file === file ? answer : 'the config loader answered for another file';
  }
  if (shape({ ok: (v) => v === false, issues: list(issue), warnings: list(issue) })(raw) && (raw as { issues: unknown[] }).issues.length > 0) {
    return raw as LoaderAnswer;
  }
  return 'the config loader sent an answer of the wrong shape (does the config write to fd 3?)';
}
