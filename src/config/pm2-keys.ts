// PM2 ecosystem keys we do not support, each with what to do instead. A PM2 user's file is
// never silently half-understood: every such key is reported, by `check` and at every load.

// How a PM2-only key is treated: `error` refuses the file (ignoring the key would change what
// runs); `warning` runs without it (it is bookkeeping with no effect on what the workers do).
export interface Pm2KeyAdvice { readonly severity: 'error' | 'warning'; readonly advice: string }

const e = (advice: string): Pm2KeyAdvice => ({ severity: 'error', advice });
const w = (advice: string): Pm2KeyAdvice => ({ severity: 'warning', advice });

const APP_KEYS: Readonly<Record<string, Pm2KeyAdvice>> = {
  exec: e('rename it to "script"'),
  exec_interpreter: e('rename it to "interpreter"'),
  node_args: e('rename it to "interpreter_args"'),
  interpreterArgs: e('rename it to "interpreter_args"'),
  out: e('rename it to "out_file"'),
  output: e('rename it to "out_file"'),
  out_log: e('rename it to "out_file"'),
  error: e('rename it to "error_file"'),
  err: e('rename it to "error_file"'),
  err_file: e('rename it to "error_file"'),
  err_log: e('rename it to "error_file"'),
  log: e('a combined stdout+stderr log is not supported: use "out_file" and "error_file"'),
  log_file: e('a combined stdout+stderr log is not supported: use "out_file" and "error_file"'),
  log_type: e('remove it and run the master with --json-logs for JSON log lines'),
  disable_logs: e('set "out_file" and "error_file" to "/dev/null" instead'),
  pid_file: e('remove it: worker pids are in `supervisor status --json`'),
  pid: e('remove it: worker pids are in `supervisor status --json`'),
  cron_restart: e('no built-in cron: let cron or a systemd timer run `supervisor reload <app>` (a graceful rolling reload)'),
  cron: e('no built-in cron: let cron or a systemd timer run `supervisor reload <app>` (a graceful rolling reload)'),
  instance_var: e('remove it: workers get their id in SUPERVISOR_WORKER_ID and NODE_APP_INSTANCE; read one of those'),
  increment_var: e('remove it: compute the value from SUPERVISOR_WORKER_ID (0..N-1) in the app, e.g. PORT = base + id'),
  exec_mode: e('remove it: every instance is its own supervised process (like fork mode); to share a port across instances, set "listen" and take the inherited socket'),
  shutdown_with_message: e('remove it: Node workers get finish-and-exit over IPC (the SDK\'s onShutdown; process.on("message") sees {type:"supervisor:shutdown"}); others get "stop_signal"'),
  filter_env: e('remove it: workers inherit the master\'s environment; override variables in "env"'),
  namespace: e('remove it: there are no namespaces; use distinct app names, or a separate SUPERVISOR_HOME per group'),
  force: e('remove it: an app name runs once per master; give a second copy another name'),
  append_env_to_name: e('remove it: put the environment in "name" yourself if you run several'),
  post_update: e('remove it: run those commands in your deploy script, then `supervisor reload`'),
  port: e('use "env": { "PORT": "..." }, or "listen" to have the master bind the port'),
  watch_options: e('remove it: use "watch", "ignore_watch" and "watch_delay"'),
  treekill: e('use "kill_group": true to signal the whole process group (PM2\'s treekill default), false for the worker only'),
  user: e('rename it to "uid"'),
  kill_retry_time: e('remove it: SIGKILL follows "kill_timeout" once'),
  install_url: e('remove it: not supported'),
  execute_command: e('remove it: not supported'),
  min_uptime_ms: e('rename it to "min_uptime"'),
  time: w('remove it: log lines are always timestamped (see "log_date_format")'),
  combine_logs: w('remove it: logs of all workers always go to one file per app (PM2\'s merge_logs)'),
  vizion: w('remove it: PM2 versioning metadata has no equivalent'),
  pmx: w('remove it: there is no PM2 wrapper; metrics are on the Prometheus endpoint ("metrics")'),
  automation: w('remove it: there is no PM2 wrapper; metrics are on the Prometheus endpoint ("metrics")'),
  trace: w('remove it: PM2 transaction tracing has no equivalent'),
  disable_trace: w('remove it: PM2 transaction tracing has no equivalent'),
  v8: w('remove it: PM2.io monitoring has no equivalent'),
  event_loop_inspector: w('remove it: PM2.io monitoring has no equivalent'),
  deep_monitoring: w('remove it: PM2.io monitoring has no equivalent'),
  io: w('remove it: PM2.io monitoring has no equivalent'),
  source_map_support: w('remove it: for source maps add "--enable-source-maps" to "interpreter_args"'),
  disable_source_map_support: w('remove it: source maps are off unless "interpreter_args" has "--enable-source-maps"'),
  windowsHide: w('remove it: Linux only'),
  username: w('remove it: use "uid" to run workers as another user'),
  name_prefix: w('remove it: no effect here'),
  write: w('remove it: no effect here'),
};

const ROOT_KEYS: Readonly<Record<string, Pm2KeyAdvice>> = {
  deploy: w('remove it or keep it for PM2 only: deployment is not part of the supervisor; deploy, then run `supervisor reload`'),
};

// The advice for a PM2 key found in an app entry, or null if it is not a PM2 key we know.
export function pm2AppKey(key: string): Pm2KeyAdvice | null {
  return Object.hasOwn(APP_KEYS, key) ? APP_KEYS[key]! : null;
}

// The advice for a PM2 key with its value: `exec_mode: "fork"` is what we always do, so it
// is only ignored with a warning, and most PM2 files start unchanged; "cluster" stays an error.
export function pm2AppKeyWithValue(key: string, value: unknown): Pm2KeyAdvice | null {
  if (key === 'exec_mode' && (value === 'fork' || value === 'fork_mode')) {
    return w('remove it: every instance is its own supervised process, as in PM2\'s fork mode');
  }
  return pm2AppKey(key);
}

// The advice for a PM2 key found at the top level of the file.
export function pm2RootKey(key: string): Pm2KeyAdvice | null {
  return Object.hasOwn(ROOT_KEYS, key) ? ROOT_KEYS[key]! : null;
}
