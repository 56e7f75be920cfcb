// The one schema of the ecosystem file. It is the single source for validation, the
// TypeScript types, the published ecosystem.schema.json and docs/config.md.
import { z } from 'zod';
import { parseDuration, parseSize } from './units.js';

const duration = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== null, { message: 'expected a duration up to 24 days: milliseconds, or a string like "500ms", "30s", "2m"' });

const size = z
  .union([z.number(), z.string()])
  .refine((v) => parseSize(v) !== null, { message: 'expected a size: bytes, or a string like "300M", "1G"' });

const signal = z
  .string()
  .regex(/^SIG[A-Z0-9]+$/, { message: 'expected a signal name like "SIGTERM"' });

const stringList = z.union([z.string(), z.array(z.string())]);

const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

// One app's keys. PM2's names and meanings where PM2 has the concept; our own in the same style.
export const appSchema = z
  .object({
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, { message: 'expected letters, digits, ".", "_" or "-"' })
      .describe('Unique name of the app; used by every CLI verb.'),
    script: z.string().min(1).describe('The program to run: a .js/.mjs/.cjs file (run with node), or any executable.'),
    args: stringList.optional().describe('Arguments passed to the script: a string (split on spaces) or a list.'),
    cwd: z.string().optional().describe("Working directory of the workers, relative to the ecosystem file's directory."),
    instances: z.union([z.number().int().min(0).max(1024), z.literal('max'), z.literal(-1)]).optional()
      .describe('Number of workers; "max" or -1 means the number of CPUs. Default 1.'),
    interpreter: z.string().optional().describe('Program that runs the script, e.g. "python3", "php", "bash". Default: node for .js/.mjs/.cjs, else none.'),
    interpreter_args: stringList.optional().describe('Arguments for the interpreter, before the script.'),
    env: envMap.optional().describe('Environment variables for the workers.'),
    kill_timeout: duration.optional().describe('How long a worker may take to finish and exit after finish-and-exit before SIGKILL. Default 30s.'),
    listen_timeout: duration.optional().describe('How long a new worker may take to report ready. Default 8s.'),
    wait_ready: z.boolean().optional().describe('Wait for the worker to signal readiness (IPC ready(), process.send("ready") or the ready fd) instead of min_uptime. Default false.'),
    min_uptime: duration.optional().describe('A worker up this long is stable: its crash streak and backoff reset. Also the readiness timer when wait_ready is false. Default 1s.'),
    max_restarts: z.number().int().min(0).max(1_000_000).optional().describe('Unstable restarts (crashes before min_uptime) in a row before the app is marked fatal. Default 15.'),
    restart_delay: duration.optional().describe('Fixed delay before restarting a crashed worker. Default: exponential backoff.'),
    exp_backoff_restart_delay: duration.optional().describe('First delay of the exponential backoff (x2 each crash, capped at 30s). Default 100ms.'),
    autorestart: z.boolean().optional().describe('Restart workers that crash. Default true.'),
    stop_exit_codes: z.union([z.number().int(), z.array(z.number().int())]).optional().describe('Exit codes that mean "done, do not restart".'),
    max_memory_restart: size.optional().describe('Gracefully replace a worker whose RSS exceeds this, e.g. "300M".'),
    watch: z.union([z.boolean(), stringList]).optional().describe('Rolling-reload the app when files under these paths change (true: its cwd).'),
    ignore_watch: stringList.optional().describe('Paths or globs not to watch, besides node_modules, .git and the log files.'),
    watch_delay: duration.optional().describe('Debounce for watch. Default 1s.'),
    out_file: z.string().optional().describe("Path of the app's stdout log. Default: <home>/logs/<app>-out.log."),
    error_file: z.string().optional().describe("Path of the app's stderr log. Default: <home>/logs/<app>-error.log."),
    log_date_format: z.string().optional().describe('Timestamp format of log lines: "iso" (default) or "epoch".'),
    merge_logs: z.boolean().optional().describe('Accepted for PM2 compatibility: logs of all workers always go to one file per app.'),
    uid: z.union([z.string(), z.number().int().min(0)]).optional().describe('User to run workers as (master must be root).'),
    gid: z.union([z.string(), z.number().int().min(0)]).optional().describe('Group to run workers as (master must be root).'),
    listen: z.union([z.number().int().min(0).max(65535), z.string(), z.array(z.union([z.number().int().min(0).max(65535), z.string()]))]).optional()
      .describe('Addresses the master binds and workers inherit: "tcp://host:port", "unix:/path" or a bare port.'),
    stop_signal: signal.optional().describe('Signal sent as finish-and-exit to workers that do not use the SDK. Default SIGTERM.'),
    kill_group: z.boolean().optional().describe("Send stop_signal and SIGKILL to the worker's whole process group. Default false."),
    reload_surge: z.number().int().min(1).max(1024).optional().describe('How many new workers start at once during a rolling reload. Default: all instances.'),
  })
  .strict();

// The metrics endpoint's address, or false to turn it off.
export const metricsSchema = z.union([
  z.literal(false),
  z.object({
    host: z.string().optional().describe('Address to listen on. Default 127.0.0.1.'),
    port: z.number().int().min(0).max(65535).optional().describe('Port to listen on. Default 9464.'),
  }).strict(),
]);

// The whole ecosystem file.
export const ecosystemSchema = z
  .object({
    $schema: z.string().optional(),
    apps: z.array(appSchema).describe('The apps to supervise.'),
    metrics: metricsSchema.optional().describe('The Prometheus endpoint: { host, port } or false. Default 127.0.0.1:9464.'),
  })
  .strict();

// An app entry as written in the file.
export type AppInput = z.input<typeof appSchema>;
// The ecosystem file as written.
export type EcosystemInput = z.input<typeof ecosystemSchema>;
