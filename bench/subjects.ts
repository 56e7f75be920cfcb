// The two supervisors under test, behind one small interface: start the 4-worker HTTP app
// on a port, run one reload command, read the master's (daemon's) RSS, stop.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');

// A supervisor running the benchmark app.
export interface Subject {
  readonly name: string;
  readonly reloadCommand: string;
  // Runs one reload command to completion; resolves with its wall time.
  reload(): Promise<{ wallMs: number }>;
  // The master's (daemon's) resident set size in bytes.
  rss(): number;
  stop(): Promise<void>;
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

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.hrtime.bigint();
  const value = await f();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

// graceful-supervisor: a `supervisor run` master; reloads go over its control socket.
// `surge` sets reload_surge (null: the default, the whole new generation at once).
export async function startOurs(port: number, surge: number | null = null): Promise<Subject> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-home-'));
  const config = path.join(home, 'ecosystem.json');
  writeFileSync(config, JSON.stringify({
    metrics: false,
    apps: [{ name: 'web', script: path.join(ROOT, 'examples/http-worker.js'), instances: 4, listen: [`tcp://127.0.0.1:${port}`], wait_ready: true, listen_timeout: '5s', kill_timeout: '5s', reload_surge: surge ?? undefined }],
  }));
  // The CLI itself, as users run it (its shebang sets the master's node flags).
  const master = spawn(CLI, ['run', config], { env: { ...process.env, SUPERVISOR_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: master.stdout }).on('line', (line) => /app web: all workers ready/.test(line) && resolve());
    master.once('exit', (code) => reject(new Error(`supervisor run exited ${code} before the app was ready`)));
  });
  master.stdout.resume();
  const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
  return {
    name: surge === null ? 'graceful-supervisor' : `graceful-supervisor, reload_surge ${surge}`,
    reloadCommand: '`supervisor reload`',
    async reload() {
      const { ms } = await timed(() => run(process.execPath, [CLI, 'reload', '--home', home]));
      return { wallMs: ms };
    },
    rss: () => rssOf(master.pid!),
    async stop() {
      master.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// PM2 with its own PM2_HOME, started with `pm2 <startArgs>`; reloads are `pm2 reload web`.
async function pm2Subject(home: string, startArgs: string[]): Promise<Subject> {
  const env = { PM2_HOME: home };
  await run(process.execPath, [PM2, ...startArgs], env);
  const daemonPid = Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8'));
  return {
    name: 'PM2 cluster',
    reloadCommand: '`pm2 reload web`',
    async reload() {
      return { wallMs: (await timed(() => run(process.execPath, [PM2, 'reload', 'web'], env))).ms };
    },
    rss: () => rssOf(daemonPid),
    async stop() {
      await run(process.execPath, [PM2, 'kill'], env);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// PM2 cluster mode on the benchmark's app (bench/apps/pm2-app.cjs).
export async function startPm2(port: number): Promise<Subject> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-pm2-'));
  const config = path.join(home, 'ecosystem.config.cjs');
  const app = { name: 'web', script: path.join(ROOT, 'bench/apps/pm2-app.cjs'), exec_mode: 'cluster', instances: 4, wait_ready: true, listen_timeout: 5000, kill_timeout: 5000, env: { PORT: String(port) } };
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
    async reload() {
      return { wallMs: (await timed(() => run(process.execPath, [CLI, 'reload'], env))).ms };
    },
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
