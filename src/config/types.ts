// The normalized, frozen shape of the config that the master runs from: every default
// filled in, every path absolute, every duration in ms and every size in bytes.

// One listening address the master binds for an app.
export type ListenAddress =
  | { kind: 'tcp'; host: string; port: number; text: string }
  | { kind: 'unix'; path: string; text: string };

// The chokidar options an app's watcher is given (watch_options).
export interface WatchOptionsSpec {
  readonly usePolling?: boolean;
  readonly interval?: number;
  readonly binaryInterval?: number;
  readonly followSymlinks?: boolean;
  readonly depth?: number;
  readonly awaitWriteFinish?: boolean | { readonly stabilityThreshold?: number; readonly pollInterval?: number };
  readonly atomic?: boolean | number;
  readonly alwaysStat?: boolean;
  readonly ignorePermissionErrors?: boolean;
  readonly persistent?: true;
  readonly ignoreInitial?: true;
}

// One app, ready to run.
export interface AppSpec {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly instances: number;
  readonly interpreter: string | null;
  readonly interpreter_args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly kill_timeout: number;
  readonly listen_timeout: number;
  readonly wait_ready: boolean;
  readonly min_uptime: number;
  readonly max_restarts: number;
  readonly start_retries: number;
  readonly restart_delay: number | null;
  readonly exp_backoff_restart_delay: number;
  readonly autorestart: boolean;
  readonly stop_exit_codes: readonly number[];
  readonly max_memory_restart: number | null;
  readonly watch: readonly string[];
  readonly ignore_watch: readonly string[];
  readonly watch_delay: number;
  readonly out_file: string | null;
  readonly error_file: string | null;
  // A combined stdout+stderr log: a path, true for <home>/logs/<app>.log, or null.
  readonly log_file: string | true | null;
  // "iso", "epoch" or a day.js format (date-format.ts).
  readonly log_date_format: string;
  // Longest worker output line kept, in bytes.
  readonly max_line_length: number;
  // Size at which the app's log files rotate, or null for no rotation; and how many old ones stay.
  readonly max_log_size: number | null;
  readonly max_log_files: number;
  readonly uid: string | number | null;
  readonly gid: string | number | null;
  readonly listen: readonly ListenAddress[];
  readonly stop_signal: NodeJS.Signals;
  readonly kill_group: boolean;
  // How many new workers may start at once in a reload; null means all instances.
  readonly reload_surge: number | null;
  // A cron pattern: the app rolls on that schedule (master/cron-restart.ts), or null.
  readonly cron_restart: string | null;
  // chokidar options for `watch`, as validated by the schema.
  readonly watch_options: WatchOptionsSpec;
  // The variable that gets the worker id, and the one incremented per worker (or null).
  readonly instance_var: string;
  readonly increment_var: string | null;
  // True when the worker is a Node program and gets an IPC channel.
  readonly ipc: boolean;
  // "cluster": the worker's listen() calls are served from sockets the master holds (src/cluster).
  readonly exec_mode: 'fork' | 'cluster';
}

// Where the metrics endpoint listens, or null when it is off.
export interface MetricsSpec {
  readonly host: string;
  readonly port: number;
  // True when the file did not set the port: then a taken port only turns metrics off.
  readonly defaultPort: boolean;
}

// A whole config, as loaded from one file.
export interface Config {
  readonly file: string;
  readonly apps: readonly AppSpec[];
  readonly metrics: MetricsSpec | null;
  // Reload when the file changes on disk (watch_config).
  readonly watchConfig: boolean;
  // PM2 keys that were ignored, each with what to do instead ("file: path: message" once formatted).
  readonly warnings?: readonly { readonly path: string; readonly message: string }[];
  // The env_<name> block merged over env (`--env <name>`), or null.
  readonly envName?: string | null;
}
