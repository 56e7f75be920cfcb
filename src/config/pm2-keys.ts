// Every PM2 ecosystem key and what this supervisor does with it: the same key, an alias of
// ours, honoured by translation, ignored with a warning, or refused with advice. One table
// drives the loader (pm2-translate.ts, validate.ts) and docs/migrating-from-pm2.md, and a test
// checks it against PM2's own schema, so a PM2 user's file is never silently half-understood.

// What happens to one PM2 key.
export type Pm2Treatment =
  // Our key of the same name, with PM2's meaning (differences are in `note`).
  | { readonly kind: 'same'; readonly note?: string }
  // Another name of one of our keys; the value is used as is.
  | { readonly kind: 'alias'; readonly of: string }
  // Translated into what runs here, as `how` says.
  | { readonly kind: 'honoured'; readonly how: string }
  // Runs without it (it does not change what the workers do); a warning says what to do.
  | { readonly kind: 'ignored'; readonly advice: string }
  // The file is refused: ignoring it would change what runs.
  | { readonly kind: 'refused'; readonly advice: string };

// How a PM2-only key is reported: `error` refuses the file, `warning` runs without the key.
export interface Pm2KeyAdvice { readonly severity: 'error' | 'warning'; readonly advice: string }

const same = (note?: string): Pm2Treatment => (note ? { kind: 'same', note } : { kind: 'same' });
const alias = (of: string): Pm2Treatment => ({ kind: 'alias', of });
const honoured = (how: string): Pm2Treatment => ({ kind: 'honoured', how });
const ignored = (advice: string): Pm2Treatment => ({ kind: 'ignored', advice });
const refused = (advice: string): Pm2Treatment => ({ kind: 'refused', advice });

const PM2_IO = ignored('remove it: PM2.io monitoring has no equivalent; metrics are on the Prometheus endpoint ("metrics")');

// The app keys PM2 knows (its lib/API/schema.json, with aliases), in PM2's order.
export const PM2_APP_KEYS: Readonly<Record<string, Pm2Treatment>> = {
  script: same(),
  exec: alias('script'),
  name: same('names may have spaces; without one, the script\'s file name without its extension (PM2\'s rule); a duplicate name runs as "<name>-2", "-3", ... with a warning, so that every verb addresses one app'),
  name_prefix: ignored('remove it: put the prefix in "name"'),
  filter_env: refused('remove it: workers inherit the master\'s environment; override variables in "env"'),
  namespace: ignored('remove it: there are no namespaces; apps are addressed by name (a separate SUPERVISOR_HOME per group)'),
  install_url: ignored('remove it: modules are not installed by the supervisor'),
  cwd: same('relative to the ecosystem file\'s folder (PM2: the shell\'s)'),
  args: same(),
  exec_interpreter: alias('interpreter'),
  interpreter: same('default: node for .js/.cjs/.mjs; a script that is not executable gets PM2\'s interpreter for its extension (.py python3, .sh bash, .rb ruby, .php php, .pl perl, .ts bun, else node); an executable one runs itself'),
  node_args: alias('interpreter_args'),
  interpreterArgs: alias('interpreter_args'),
  interpreter_args: same(),
  out_file: same(),
  out: alias('out_file'),
  output: alias('out_file'),
  out_log: alias('out_file'),
  error_file: same(),
  error: alias('error_file'),
  err: alias('error_file'),
  err_file: alias('error_file'),
  err_log: alias('error_file'),
  log_file: honoured('a combined log: stdout and stderr lines also go to this file (`true`: <home>/logs/<app>.log), as in PM2'),
  log: alias('log_file'),
  disable_logs: honoured('`true` sends out_file and error_file to /dev/null unless they are set'),
  log_type: ignored('remove it and run the master with --json-logs for JSON log lines'),
  log_date_format: same('day.js tokens as PM2 renders them (`YYYY-MM-DD HH:mm:ss Z`), in the master\'s time zone; tokens that need a day.js plugin are refused by name; "iso" (the default) and "epoch" are ours'),
  time: honoured('log lines are always timestamped (see log_date_format)'),
  env: same(),
  max_memory_restart: same('the worker is replaced gracefully: the new one first'),
  pid_file: ignored('remove it: no pid files are written; worker pids are in `supervisor status --json` and `describe`'),
  pid: ignored('remove it: no pid files are written; worker pids are in `supervisor status --json` and `describe`'),
  restart_delay: same(),
  exp_backoff_restart_delay: same(),
  source_map_support: ignored('remove it: for source maps add "--enable-source-maps" to "interpreter_args"'),
  disable_source_map_support: ignored('remove it: source maps are off unless "interpreter_args" has "--enable-source-maps"'),
  wait_ready: same(),
  instances: same('as PM2 reads it: a number or a numeric string, 0 or "max" one per CPU, -1 one fewer than the CPUs (at least 1)'),
  kill_timeout: same('default 30 s (PM2: 1.6 s)'),
  shutdown_with_message: refused('remove it: Node workers get finish-and-exit over IPC (the SDK\'s onShutdown; process.on("message") sees {type:"supervisor:shutdown"}); others get "stop_signal"'),
  listen_timeout: same(),
  cron_restart: honoured('a graceful rolling reload of the app on that cron schedule (croner syntax, 5 or 6 fields, seconds first when 6; the master\'s time zone); 0 or false turn it off'),
  cron: alias('cron_restart'),
  merge_logs: same('logs of all workers always go to one file per app'),
  combine_logs: alias('merge_logs'),
  vizion: ignored('remove it: PM2 versioning metadata has no equivalent'),
  autostart: honoured('`true` (the default) is accepted; `false` is refused: every app in a file starts with it (stop it with `supervisor stop <app>`)'),
  autorestart: same(),
  stop_exit_codes: same(),
  watch_delay: same(),
  watch: same('never watches node_modules, .git, the log files; a change rolls the app gracefully'),
  ignore_watch: same(),
  watch_options: honoured('passed to chokidar: usePolling, interval and binaryInterval (at least 100 ms), followSymlinks, depth, awaitWriteFinish, atomic, alwaysStat, ignorePermissionErrors; "ignored", "cwd", "persistent": false and "ignoreInitial": false are refused with advice'),
  min_uptime: same(),
  max_restarts: same(),
  execute_command: ignored('remove it: a script is run as given'),
  exec_mode: same('"cluster" serves every instance\'s server.listen(port) from one socket the master holds, and is the default for a Node.js script with `instances` (PM2\'s rule, but not when `listen` is set); a script that is not Node.js runs in fork mode with a warning'),
  force: ignored('remove it: an app name runs once per master; give a second copy another name'),
  append_env_to_name: honoured('with --env <name>, the app runs as "<app>-<name>"'),
  post_update: ignored('remove it: run those commands in your deploy script, then `supervisor reload`'),
  trace: ignored('remove it: PM2 transaction tracing has no equivalent'),
  disable_trace: ignored('remove it: PM2 transaction tracing has no equivalent'),
  v8: PM2_IO,
  event_loop_inspector: PM2_IO,
  deep_monitoring: PM2_IO,
  increment_var: honoured('the named variable is the app\'s env value (0 when unset) plus the worker id (0..N-1)'),
  instance_var: honoured('the worker id (0..N-1) goes in the named variable instead of NODE_APP_INSTANCE (SUPERVISOR_WORKER_ID is always set)'),
  pmx: ignored('remove it: there is no PM2 wrapper; metrics are on the Prometheus endpoint ("metrics")'),
  automation: ignored('remove it: there is no PM2 wrapper; metrics are on the Prometheus endpoint ("metrics")'),
  treekill: honoured('`kill_group`: true (PM2\'s default) signals the worker\'s whole process group, false the worker only'),
  port: honoured('sets env.PORT, as in PM2 (use "listen" to have the master bind the port)'),
  username: ignored('remove it: use "uid" to run workers as another user'),
  uid: same('the master must run as root'),
  user: alias('uid'),
  gid: same('the master must run as root'),
  windowsHide: ignored('remove it: Linux only'),
  kill_retry_time: ignored('remove it: SIGKILL follows "kill_timeout" once'),
  write: ignored('remove it: no effect here'),
  io: PM2_IO,
};

// Top-level keys PM2 knows besides `apps`.
export const PM2_ROOT_KEYS: Readonly<Record<string, Pm2Treatment>> = {
  deploy: ignored('keep it for PM2 only: deployment is not part of the supervisor; deploy, then run `supervisor reload`'),
  env: ignored('PM2 ignores a top-level env block too: put "env" in each app'),
};

// Top-level env_<name> blocks, which PM2 ignores as well.
export const ROOT_ENV_BLOCK_ADVICE = 'PM2 ignores a top-level env block too: put "env_<name>" in each app';

function asAdvice(t: Pm2Treatment): Pm2KeyAdvice | null {
  if (t.kind === 'refused') return { severity: 'error', advice: t.advice };
  if (t.kind === 'ignored') return { severity: 'warning', advice: t.advice };
  return null;
}

// The advice for a PM2 key found in an app entry, or null if it is not one we refuse or ignore.
export function pm2AppKey(key: string): Pm2KeyAdvice | null {
  return Object.hasOwn(PM2_APP_KEYS, key) ? asAdvice(PM2_APP_KEYS[key]!) : null;
}

// The advice for a PM2 key found at the top level of the file.
export function pm2RootKey(key: string): Pm2KeyAdvice | null {
  if (Object.hasOwn(PM2_ROOT_KEYS, key)) return asAdvice(PM2_ROOT_KEYS[key]!);
  return /^env_/.test(key) ? { severity: 'warning', advice: ROOT_ENV_BLOCK_ADVICE } : null;
}
