// `npm run bench:upgrade`: replacing the supervisor itself under load. The same 4-worker HTTP
// app (20 ms per request) under autocannon (50 keep-alive connections), 3 replacements each:
// - `supervisor upgrade`, with a new version installed at the same path before each one (a
//   copy of this package whose package.json version is bumped);
// - `supervisor stop` + `supervisor start`, what replacing the master took before;
// - `pm2 update` (PM2 cluster mode, bench/apps/pm2-app.cjs): PM2 saves its process list,
//   kills its daemon and every app, and resurrects them.
// `-- --write` puts the section into docs/benchmarks.md.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad } from './load.js';
import { figures, type Window } from './stats.js';
import { writeSection } from './report.js';
import { ROOT } from './subjects.js';
import { freePort } from './free-port.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = 3;
const FIRST_AT_S = 4;
const EVERY_S = 8;
const TAIL_MS = 1000;
const WARMUP_MS = 1000;
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');
const HEADING = '## Upgrading the supervisor under load';

// Runs a command; resolves with its exit code, output and wall time.
function exec(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; ms: number }> {
  const t = Date.now();
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}`, ms: Date.now() - t });
    });
  });
}


// A supervisor that runs the app and is replaced `ROUNDS` times.
interface Subject {
  readonly name: string;
  readonly command: string;
  // Replaces the supervisor once; resolves with the command's wall time and its master pid after.
  replace(round: number): Promise<{ ms: number; ok: boolean; pid: number | null }>;
  pid(): number | null;
  stop(): Promise<void>;
}

const pidIn = (file: string): number | null => {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
};

// graceful-supervisor's daemon from a copy of this package (so a new version can be installed under it).
async function ours(port: number, how: 'upgrade' | 'stop-start'): Promise<Subject> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-upgrade-'));
  cpSync(path.join(ROOT, 'dist', 'src'), path.join(dir, 'pkg', 'dist', 'src'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'pkg', 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'pkg', 'node_modules'));
  const cli = path.join(dir, 'pkg', 'dist', 'src', 'cli', 'main.js');
  const home = path.join(dir, 'home');
  const config = path.join(dir, 'ecosystem.json');
  writeFileSync(config, JSON.stringify({ metrics: false, apps: [{ name: 'web', script: path.join(ROOT, 'examples/http-worker.js'), instances: 4, listen: [`tcp://127.0.0.1:${port}`], wait_ready: true, listen_timeout: '5s', kill_timeout: '5s' }] }));
  const env = { SUPERVISOR_HOME: home };
  const started = await exec(process.execPath, [cli, 'start', config], env);
  if (started.code !== 0) throw new Error(`supervisor start failed: ${started.out}`);
  const pidfile = path.join(home, 'supervisor.pid');
  return {
    name: how === 'upgrade' ? 'graceful-supervisor, `upgrade`' : 'graceful-supervisor, `stop` + `start`',
    command: how === 'upgrade' ? '`supervisor upgrade` (new version installed before each)' : '`supervisor stop && supervisor start`',
    async replace(round) {
      const pkgFile = path.join(dir, 'pkg', 'package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(pkgFile, JSON.stringify({ ...pkg, version: `0.1.${round}-bench` }));
      if (how === 'upgrade') {
        const r = await exec(process.execPath, [cli, 'upgrade'], env);
        return { ms: r.ms, ok: r.code === 0, pid: pidIn(pidfile) };
      }
      const t = Date.now();
      const a = await exec(process.execPath, [cli, 'stop'], env);
      const b = await exec(process.execPath, [cli, 'start', config], env);
      return { ms: Date.now() - t, ok: a.code === 0 && b.code === 0, pid: pidIn(pidfile) };
    },
    pid: () => pidIn(pidfile),
    async stop() {
      await exec(process.execPath, [cli, 'stop'], env);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// PM2 cluster mode; the replacement is `pm2 update`.
async function pm2(port: number): Promise<Subject> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-pm2-update-'));
  const config = path.join(home, 'ecosystem.config.cjs');
  const app = { name: 'web', script: path.join(ROOT, 'bench/apps/pm2-app.cjs'), exec_mode: 'cluster', instances: 4, wait_ready: true, listen_timeout: 5000, kill_timeout: 5000, env: { PORT: String(port) } };
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [app] })};\n`);
  const env = { PM2_HOME: home };
  const started = await exec(process.execPath, [PM2, 'start', config], env);
  if (started.code !== 0) throw new Error(`pm2 start failed: ${started.out}`);
  const pidfile = path.join(home, 'pm2.pid');
  return {
    name: 'PM2 cluster, `pm2 update`',
    command: '`pm2 update`',
    async replace() {
      const r = await exec(process.execPath, [PM2, 'update'], env);
      return { ms: r.ms, ok: r.code === 0, pid: pidIn(pidfile) };
    },
    pid: () => pidIn(pidfile),
    async stop() {
      await exec(process.execPath, [PM2, 'kill'], env);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

// One column of figures.
interface Column { readonly name: string; readonly command: string; readonly cells: Record<string, string> }

async function bench(start: (port: number) => Promise<Subject>): Promise<Column> {
  const port = await freePort();
  const subject = await start(port);
  try {
    const pids = [subject.pid()];
    const load = runLoad(`http://127.0.0.1:${port}/`, CONNECTIONS, SECONDS);
    const windows: Window[] = [];
    const walls: number[] = [];
    let failedCommands = 0;
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(Math.max(0, load.record.startedAt + (FIRST_AT_S + i * EVERY_S) * 1000 - Date.now()));
      const from = Date.now();
      const r = await subject.replace(i + 1);
      windows.push({ from, to: Date.now() });
      walls.push(r.ms);
      pids.push(r.pid);
      if (!r.ok) failedCommands++;
      process.stdout.write(`  ${subject.name}: replacement ${i + 1} took ${r.ms} ms, master pid ${r.pid}${r.ok ? '' : ' (the command failed)'}\n`);
    }
    const f = figures(await load.done, windows, TAIL_MS, WARMUP_MS);
    const failed = Object.values(f.errorsByCode).reduce((a, b) => a + b, 0);
    const codes = Object.entries(f.errorsByCode).map(([c, n]) => `${c}: ${n}`).join(', ');
    return {
      name: subject.name,
      command: subject.command,
      cells: {
        'requests completed': String(f.requests),
        'failed requests (by error code)': failed === 0 ? '0' : `${failed} (${codes})`,
        'non-2xx responses': String(f.non2xx),
        'p99, steady state': `${f.steadyP99.toFixed(0)} ms`,
        'p99, during replacements': `${f.reloadP99.toFixed(0)} ms`,
        'p99 ratio (during / steady)': `${(f.reloadP99 / f.steadyP99).toFixed(2)}x`,
        'command wall time, each': walls.map((w) => `${w} ms`).join(', '),
        'commands that failed': String(failedCommands),
        'master / daemon pid, before and after each': pids.map((p) => p ?? '-').join(' -> '),
      },
    };
  } finally {
    await subject.stop();
  }
}

const columns: Column[] = [];
for (const start of [(p: number) => ours(p, 'upgrade'), (p: number) => ours(p, 'stop-start'), pm2]) columns.push(await bench(start));
const rows = Object.keys(columns[0]!.cells);
const load = os.loadavg().map((x) => x.toFixed(1)).join(', ');
const section = [
  HEADING,
  '',
  `Run with \`npm run bench:upgrade\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, 2 cores (load average ${load} at the end: a shared machine).`,
  `The same HTTP app (20 ms per request, 4 workers, \`wait_ready\`, \`kill_timeout\` 5 s) under autocannon with ${CONNECTIONS} keep-alive`,
  `connections for ${SECONDS} s; ${ROUNDS} replacements of the supervisor at ${FIRST_AT_S} s, then every ${EVERY_S} s. "During" is every response that completed`,
  `between a command's start and 1 s after it returned. \`upgrade\` runs from a copy of this package whose version is bumped before`,
  'each command, as a reinstall would. PM2 has no way to replace its daemon without restarting the apps: `pm2 update` saves the',
  'process list, kills the daemon and every app, and resurrects them.',
  '',
  `| | ${columns.map((c) => c.name).join(' | ')} |`,
  `|---|${columns.map(() => '---').join('|')}|`,
  `| command | ${columns.map((c) => c.command).join(' | ')} |`,
  ...rows.map((r) => `| ${r} | ${columns.map((c) => c.cells[r]).join(' | ')} |`),
  '',
].join('\n');
process.stdout.write(`\n${section}\n`);
if (process.argv.includes('--write')) writeSection(path.join(ROOT, 'docs', 'benchmarks.md'), section);
