// The one schema of the ecosystem file. It is the single source for validation, the
// TypeScript types, the published ecosystem.schema.json and docs/config.md.
import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';
import { DEFAULTS, LINE_LENGTH_RANGE, MAX_DURATION_MS, MAX_SIZE_BYTES, MIN_LOG_SIZE } from './defaults.js';
import { compileDateFormat } from './date-format.js';
import { cronProblem } from './cron.js';
import { APP_NAME_MAX_LENGTH, APP_NAME_PATTERN, MAX_INSTANCES } from '../protocol/limits.js';

const duration = z
  .union([z.number(), z.string()], { error: 'expected a duration: milliseconds, or a string like "500ms", "30s", "2m"' })
  .refine((v) => parseDuration(v) !== null, { message: 'expected a duration: milliseconds, or a string like "500ms", "30s", "2m"' })
  .refine((v) => (parseDuration(v) ?? 0) <= MAX_DURATION_MS, { message: `expected a duration of at most ${MAX_DURATION_MS} ms (about 24 days)` });

const size = z
  .union([z.number(), z.string()], { error: 'expected a size: bytes, or a string like "300M", "1G"' })
  .refine((v) => parseSize(v) !== null, { message: 'expected a size: bytes, or a string like "300M", "1G"' })
  .refine((v) => (parseSize(v) ?? 0) <= MAX_SIZE_BYTES, { message: 'expected a size of at most 1 TiB ("1024G")' });

const sizeAtLeast = (min: number, text: string) => size.refine((v) => (parseSize(v) ?? min) >= min, { message: `expected a size of at least ${text}` });
const lineLength = sizeAtLeast(LINE_LENGTH_RANGE.min, '"1K"').refine((v) => (parseSize(v) ?? 0) <= LINE_LENGTH_RANGE.max, { message: 'expected a size of at most "16M"' });

const signal = z
  .string()
  .regex(/^SIG[A-Z0-9]+$/, { message: 'expected a signal name like "SIGTERM"' });

const stringList = z.union([z.string(), z.array(z.string())], { error: 'expected a string or a list of strings' });

const port = z.number().int().min(0).max(65535);
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, { message: 'expected an environment variable name like "PORT"' });
const ms = z.number().int().min(0).max(MAX_DURATION_MS);

// chokidar options an app's watcher may be given (watch_options); pm2-translate.ts refuses the
// ones that would break the master with their own advice.
export const watchOptionsSchema = z.object({
  usePolling: z.boolean().optional(),
  interval: ms.optional(),
  binaryInterval: ms.optional(),
  followSymlinks: z.boolean().optional(),
  depth: z.number().int().min(0).max(1000).optional(),
  awaitWriteFinish: z.union([z.boolean(), z.object({ stabilityThreshold: ms.optional(), pollInterval: ms.optional() }).strict()]).optional(),
  atomic: z.union([z.boolean(), ms]).optional(),
  alwaysStat: z.boolean().optional(),
  ignorePermissionErrors: z.boolean().optional(),
  persistent: z.literal(true).optional(),
  ignoreInitial: z.literal(true).optional(),
}).strict();
const id = z.union([z.string().min(1), z.number().int().min(0).max(2 ** 32 - 1)], { error: 'expected a name or a numeric id' });

// An environment block: variable names to values (numbers and booleans become strings).
export const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }));

// `env_<name>` keys (PM2's names), selected with `--env <name>` and merged over `env`.
export const ENV_BLOCK_KEY = /^env_[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// One app's keys. PM2's names and meanings where PM2 has the concept; our own in the same style.
export const appSchema = z
  .object({
    name: z.string().min(1).max(APP_NAME_MAX_LENGTH).regex(APP_NAME_PATTERN, { message: 'expected a name without "/" or control characters' })
      .describe('Unique name of the app; used by every CLI verb. Default: the script\'s file name without its extension (PM2\'s rule).'),
    script: z.string().min(1).describe('The program to run: a .js/.mjs/.cjs file (run with node), or any executable. Relative to cwd. A command with spaces runs with bash -c, as in PM2.'),
    args: stringList.optional().describe('Arguments passed to the script: a string (split on spaces) or a list.'),
    cwd: z.string().optional().describe("Working directory of the workers, relative to the ecosystem file's directory (the default)."),
    instances: z.union([z.number().int().min(-MAX_INSTANCES).max(MAX_INSTANCES), z.literal('max')], { error: `expected a whole number -${MAX_INSTANCES}..${MAX_INSTANCES} or "max"` }).optional()
      .meta({ description: 'Number of workers, as PM2 reads it: 0 or "max" one per CPU, -1 one fewer than the CPUs (-N: N fewer, at least 1); a numeric string like "2" is a number.', default: DEFAULTS.instances }),
    interpreter: z.string().min(1).optional().describe('Program that runs the script, e.g. "python3", "php", "bash"; "none" runs the script itself. Default: node for .js/.mjs/.cjs, else none.'),
    interpreter_args: stringList.optional().describe('Arguments for the interpreter, before the script (PM2\'s node_args).'),
    env: envMap.optional().describe('Environment variables for the workers. `env_<name>` blocks (PM2 style) are merged over it with `--env <name>`.'),
    kill_timeout: duration.optional().meta({ description: 'How long a worker may take to finish and exit after finish-and-exit before SIGKILL.', default: DEFAULTS.kill_timeout }),
    listen_timeout: duration.optional().meta({ description: 'How long a new worker may take to report ready.', default: DEFAULTS.listen_timeout }),
    wait_ready: z.boolean().optional().meta({ description: 'Wait for the worker to signal readiness (IPC ready(), process.send("ready") or the ready fd), up to listen_timeout. Without it, a worker is ready at the first of that signal and min_uptime.', default: false }),
    min_uptime: duration.optional().meta({ description: 'A worker up this long is stable: its crash streak and backoff reset. Without wait_ready, also ready by then if it did not signal readiness sooner.', default: DEFAULTS.min_uptime }),
    max_restarts: z.number().int().min(0).max(1_000_000).optional().meta({ description: 'Unstable restarts (crashes before min_uptime) in a row before the app is marked fatal, once the app has started (see start_retries).', default: DEFAULTS.max_restarts }),
    start_retries: z.number().int().min(0).max(1000).optional().meta({ description: "Restarts allowed while the app is starting (its first start, or a start after stop or fatal), before all its workers were ready, like supervisord's startretries; one more failure and the start fails. With the default backoff, 5 gives up about 4 s after the first crash.", default: DEFAULTS.start_retries }),
    restart_delay: duration.optional().describe('Fixed delay before restarting a crashed worker. Default: exponential backoff.'),
    exp_backoff_restart_delay: duration.optional().meta({ description: 'First delay of the exponential backoff (x2 each crash, capped at 30s).', default: DEFAULTS.exp_backoff_restart_delay }),
    autorestart: z.boolean().optional().meta({ description: 'Restart workers that exit. With false, a worker that exits stays down in its slot (status "done") while the others run, until the next reload; a crash while the app is starting fails the start.', default: true }),
    stop_exit_codes: z.union([z.number().int().min(0).max(255), z.array(z.number().int().min(0).max(255))], { error: 'expected an exit code 0-255 or a list of them' }).optional()
      .describe('Exit codes that mean "done, do not restart": the worker stays down in its slot (status "done") until the next reload.'),
    max_memory_restart: size.optional().describe('Gracefully replace a worker whose RSS exceeds this, e.g. "300M". Default: no limit.'),
    watch: z.union([z.boolean(), stringList], { error: 'expected true, false, a path or a list of paths' }).optional()
      .meta({ description: 'Rolling-reload the app when files under these paths change (true: its cwd).', default: false }),
    ignore_watch: stringList.optional().describe('Paths or globs not to watch, besides node_modules, .git, the log files and the ecosystem file.'),
    watch_delay: duration.optional().meta({ description: 'Debounce for watch: the reload waits until files were quiet this long.', default: DEFAULTS.watch_delay }),
    out_file: z.string().optional().describe("Path of the app's stdout log. Default: <home>/logs/<app>-out.log."),
    error_file: z.string().optional().describe("Path of the app's stderr log. Default: <home>/logs/<app>-error.log."),
    log_file: z.union([z.string().min(1), z.boolean()], { error: 'expected a path, true or false' }).optional()
      .describe("A combined log: every stdout and stderr line also goes here (true: <home>/logs/<app>.log). Default: none."),
    log_date_format: z.string().superRefine((v, ctx) => {
      const compiled = compileDateFormat(v);
      if ('error' in compiled) ctx.addIssue({ code: 'custom', message: `expected "iso", "epoch" or a day.js format like "YYYY-MM-DD HH:mm:ss Z": ${compiled.error}` });
    }).optional().meta({ description: 'Timestamp of log lines: "iso" (UTC), "epoch" (ms), or a day.js format as PM2 renders it, e.g. "YYYY-MM-DD HH:mm:ss Z" (local time).', default: 'iso' }),
    max_line_length: lineLength.optional()
      .meta({ description: "Longest line kept from a worker's stdout or stderr, e.g. \"64K\"; a longer line is cut there, marked truncated, and the rest of it dropped.", default: DEFAULTS.max_line_length }),
    max_log_size: sizeAtLeast(MIN_LOG_SIZE, '"1K"').optional()
      .describe('Rotate out_file and error_file when they reach this size, e.g. "100M" (for hosts without logrotate): <file> becomes <file>.1, .1 becomes .2, and so on. Default: no rotation.'),
    max_log_files: z.number().int().min(1).max(1000).optional()
      .meta({ description: 'How many rotated files max_log_size keeps per log (<file>.1 is the newest); older ones are deleted.', default: DEFAULTS.max_log_files }),
    merge_logs: z.boolean().optional().describe('Accepted for PM2 compatibility: logs of all workers always go to one file per app.'),
    uid: id.optional().describe('User to run workers as (master must be root).'),
    gid: id.optional().describe('Group to run workers as (master must be root).'),
    listen: z.union([port, z.string(), z.array(z.union([port, z.string()]))], { error: 'expected "tcp://host:port", "unix:/path", a port, or a list of them' }).optional()
      .describe('Addresses the master binds and workers inherit: "tcp://host:port", "unix:/path" or a bare port.'),
    stop_signal: signal.optional().meta({ description: 'Signal sent as finish-and-exit to workers that do not use the SDK.', default: DEFAULTS.stop_signal }),
    kill_group: z.boolean().optional().meta({ description: "Send stop_signal and SIGKILL to the worker's whole process group.", default: false }),
    reload_surge: z.number().int().min(1).max(1024).optional().describe('How many new workers start at once during a rolling reload. Default: half the CPUs the master may use (os.availableParallelism(), lowered by a cgroup CPU quota), at least 1.'),
    cron_restart: z.string().superRefine((v, ctx) => {
      const problem = cronProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `expected a cron pattern like "0 3 * * *" (5 fields, or 6 with seconds first): ${problem}` });
    }).optional().describe('Rolling-reload the app on this cron schedule (PM2\'s key; croner syntax, local time). Default: none.'),
    watch_options: watchOptionsSchema.optional().describe('chokidar options for watch (PM2\'s key): usePolling, interval, binaryInterval, followSymlinks, depth, awaitWriteFinish, atomic, alwaysStat, ignorePermissionErrors.'),
    instance_var: envName.optional().meta({ description: 'The variable that gets the worker id (0..N-1) instead of NODE_APP_INSTANCE.', default: 'NODE_APP_INSTANCE' }),
    increment_var: envName.optional().describe('A variable set to its env value (0 when unset) plus the worker id, e.g. "PORT" gives 3000, 3001, ...'),
    exec_mode: z.enum(['fork', 'cluster', 'fork_mode', 'cluster_mode'], { error: 'expected "fork" or "cluster" (or PM2\'s "fork_mode", "cluster_mode")' }).optional()
      .describe('PM2\'s cluster mode, for Node.js apps: "cluster" lets every instance call server.listen(port) on one port; the master binds it once, hands it to each worker and keeps it across reloads (docs/protocols.md). Default: "cluster" for a Node.js script with `instances` and no `listen` (PM2\'s rule), else "fork": each instance binds what it binds.'),
  })
  .strict()
  .meta({ patternProperties: { [ENV_BLOCK_KEY.source]: { ...jsonSchemaOf(envMap), description: 'Environment block selected with --env <name>, merged over env.' } } });

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  return rest;
}

// The metrics endpoint's address, or false to turn it off.
export const metricsSchema = z.union([
  z.literal(false),
  z.object({
    host: z.string().min(1).optional().meta({ description: 'Address to listen on.', default: DEFAULTS.metrics.host }),
    port: port.optional().meta({ description: 'Port to listen on.', default: DEFAULTS.metrics.port }),
  }).strict(),
], { error: 'expected false or an object { "host": "127.0.0.1", "port": 9464 }' });

// The whole ecosystem file.
export const ecosystemSchema = z
  .object({
    $schema: z.string().optional().describe('Path or URL of ecosystem.schema.json, for editors.'),
    apps: z.array(appSchema).describe('The apps to supervise.'),
    metrics: metricsSchema.optional().meta({ description: 'The Prometheus endpoint: { host, port } or false. If the default port is taken, the master starts without it and logs a warning; a port you set must be free.', default: DEFAULTS.metrics }),
    watch_config: z.boolean().optional().meta({ description: 'Reload when this file changes on disk (as SIGHUP does). `run` and `start` take --watch-config / --no-watch-config to override it.', default: false }),
  })
  .strict();

// An app entry as written in the file.
export type AppInput = z.input<typeof appSchema>;
// The ecosystem file as written.
export type EcosystemInput = z.input<typeof ecosystemSchema>;
