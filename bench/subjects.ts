// The two supervisors under test, behind one small interface: start the 4-worker HTTP app
// on a port, run one reload command, read the master's (daemon's) RSS, stop.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allGone, childPids } from './old-workers.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');
// The job worker both run in the "jobs" case.
const JOB_APP = path.join(ROOT, 'bench/apps/job-worker.mjs');
// The HTTP app both supervisors run in the "app" case.
const HTTP_APP = path.join(ROOT, 'bench/apps/http-app.mjs');

// A supervisor running the benchmark app.
export interface Subject {
  readonly name: string;
  readonly reloadCommand: string;
  // PM2's PM2_HOME.
  readonly home?: string;
  // The master's (daemon's) pid.
  readonly pid: number;
  // Runs one reload command to completion; resolves with its wall time and the time from its
  // start until the last worker that was running before it is gone.
  reload(): Promise<Reload>;
  // The master's (daemon's) resident set size in bytes.
  rss(): number;
  stop(): Promise<void>;
}

// One reload command's timings.
export interface Reload { readonly wallMs: number; readonly goneMs: number }

// Runs `command` while watching the daemon's current workers go.
async function reloadWatching(daemonPid: number, command: () => Promise<unknown>): Promise<Reload> {
  const old = childPids(daemonPid);
  const t0 = performance.now();
  const gone = allGone(old, t0);
  await command();
  const wallMs = performance.now() - t0;
  return { wallMs, goneMs: await gone };
}

// Runs a command to completion; rejects when it fails.
function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

// What to run under `supervisor run`: default the benchmark's HTTP app, 4 workers, our defaults.
export interface OursOptions {
  readonly surge?: number | null;
  readonly script?: string;
  readonly instances?: number;
  readonly env?: Record<string, string>;
  // No `listen`: the app binds its own port (PORT in env).
  readonly ownPort?: boolean;
  // Gets every line the master prints (JSON log lines with --json-logs).
  readonly onLine?: (line: string) => void;
  readonly name?: string;
  // The config's file name (default ecosystem.json; the same JSON text as .yaml is always read
  // by the loader child, never reused).
  readonly configName?: string;
}

// graceful-supervisor: a `supervisor run` master; reloads are `supervisor reload` commands.
export async function startOurs(port: number, opts: OursOptions = {}): Promise<Subject> {
  const surge = opts.surge ?? null;
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-home-'));
  const config = path.join(home, opts.configName ?? 'ecosystem.json');
  const app = {
    name: 'web', script: opts.script ?? HTTP_APP, instances: opts.instances ?? 4, wait_ready: true, listen_timeout: '5s', kill_timeout: '5s',
    ...(opts.ownPort ? {} : { listen: [`tcp://127.0.0.1:${port}`] }), reload_surge: surge ?? undefined, env: opts.env,
  };
  writeFileSync(config, JSON.stringify({ metrics: false, apps: [app] }));
  // The CLI itself, as users run it (its shebang sets the master's node flags).
  const master = spawn(CLI, ['run', config, '--json-logs'], { env: { ...process.env, SUPERVISOR_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: master.stdout }).on('line', (line) => {
      opts.onLine?.(line);
      if (/"event":"app-started"/.test(line)) resolve();
    });
    master.once('exit', (code) => reject(new Error(`supervisor run exited ${code} before the app was ready`)));
  });
  const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
  return {
    name: opts.name ?? (surge === null ? 'graceful-supervisor' : `graceful-supervisor, reload_surge ${surge}`),
    reloadCommand: '`supervisor reload`',
    pid: master.pid!,
    reload: () => reloadWatching(master.pid!, () => run(process.execPath, [CLI, 'reload', '--home', home])),
    rss: () => rssOf(master.pid!),
    async stop() {
      master.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// PM2 with its own PM2_HOME, started with `pm2 <startArgs>`; reloads are `pm2 reload web`.
async function pm2Subject(home: string, startArgs: string[], name = 'PM2 cluster'): Promise<Subject> {
  const env = { PM2_HOME: home };
  await run(process.execPath, [PM2, ...startArgs], env);
  const daemonPid = Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8'));
  return {
    name,
    home,
    pid: daemonPid,
    reloadCommand: '`pm2 reload web`',
    reload: () => reloadWatching(daemonPid, () => run(process.execPath, [PM2, 'reload', 'web'], env)),
    rss: () => rssOf(daemonPid),
    async stop() {
      await run(process.execPath, [PM2, 'kill'], env);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// PM2 cluster mode on the benchmark's app (bench/apps/http-app.mjs, the file ours runs).
export async function startPm2(port: number): Promise<Subject> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-pm2-'));
  const config = path.join(home, 'ecosystem.config.cjs');
  const app = { name: 'web', script: HTTP_APP, exec_mode: 'cluster', instances: 4, wait_ready: true, listen_timeout: 5000, kill_timeout: 5000, env: { PORT: String(port) } };
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [app] })};\n`);
  return pm2Subject(home, ['start', config]);
}

// A PM2 ecosystem file as PM2 users write it for cluster mode, for an unmodified Express app
// (bench/apps/express-app.cjs): exec_mode "cluster", instances 4, node_args, env_production.
// Both supervisors start this very file with `--env production`.
export function writePm2ClusterFile(port: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-pm2file-'));
  const file = path.join(dir, 'ecosystem.config.js');
  const app = {
    name: 'web',
    script: path.join(ROOT, 'bench/apps/express-app.cjs'),
    exec_mode: 'cluster',
    instances: 4,
    node_args: '--max-old-space-size=256',
    env: { NODE_ENV: 'development', PORT: port },
    env_production: { NODE_ENV: 'production', PORT: port },
  };
  writeFileSync(file, `module.exports = ${JSON.stringify({ apps: [app] }, null, 2)};\n`);
  return file;
}

// graceful-supervisor's daemon on the PM2 file: `supervisor start <file> --env production`.
export async function startOursOnPm2File(file: string): Promise<Subject> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-home-'));
  const env = { SUPERVISOR_HOME: home };
  await run(CLI, ['start', file, '--env', 'production'], env);
  const daemonPid = Number(readFileSync(path.join(home, 'supervisor.pid'), 'utf8'));
  return {
    name: 'graceful-supervisor',
    reloadCommand: '`supervisor reload`',
    pid: daemonPid,
    reload: () => reloadWatching(daemonPid, () => run(process.execPath, [CLI, 'reload'], env)),
    rss: () => rssOf(daemonPid),
    async stop() {
      await run(process.execPath, [CLI, 'stop'], env);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// PM2 on the same file: `pm2 start <file> --env production`.
export function startPm2OnFile(file: string): Promise<Subject> {
  return pm2Subject(mkdtempSync(path.join(os.tmpdir(), 'gs-bench-pm2-')), ['start', file, '--env', 'production']);
}

// The job worker (bench/apps/job-worker.mjs) under PM2 with PM2's defaults: 3 instances, no
// exec_mode, wait_ready or kill_timeout of ours. `stopSignals` are the ones the worker handles.
export function startPm2Jobs(queuePort: number, stopSignals: string, name: string): Promise<Subject> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-pm2-'));
  const config = path.join(home, 'ecosystem.config.cjs');
  const app = { name: 'web', script: JOB_APP, instances: 3, env: { QUEUE_PORT: String(queuePort), JOB_STOP_SIGNALS: stopSignals } };
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [app] })};\n`);
  return pm2Subject(home, ['start', config], name);
}

// How PM2 runs its app "web" (its exec_mode and kill_timeout as `pm2 jlist` shows them).
export async function pm2Settings(subject: Subject): Promise<string> {
  const home = subject.home;
  if (!home) return 'unknown';
  const list = JSON.parse(await run(process.execPath, [PM2, 'jlist'], { PM2_HOME: home })) as { pm2_env: { exec_mode?: string; kill_timeout?: number } }[];
  const env = list[0]?.pm2_env;
  return `exec_mode ${env?.exec_mode ?? '?'}, kill_timeout ${env?.kill_timeout ?? 'default (1600 ms)'}`;
}

// The job worker under ours: 3 instances, wait_ready, kill_timeout 5 s, the default surge.
export function startOursJobs(queuePort: number): Promise<Subject> {
  return startOurs(0, { script: JOB_APP, instances: 3, ownPort: true, env: { QUEUE_PORT: String(queuePort) } });
}
