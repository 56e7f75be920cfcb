// `npm run bench:idle-rss`: the master's resident memory, idle with 4 Node workers, side by
// side with PM2's daemon running the same 4 workers (bench/apps/idle-worker.cjs; PM2 in fork
// mode, each worker its own process, as ours are). Rounds alternate ours / PM2 so both see
// the same machine load; each reads VmRSS 5 times over 5 s after a 5 s settle, and keeps
// the median. Ours runs as users run it (the CLI's shebang sets the master's node flags),
// with its default metrics endpoint on (port 0) and, as a second figure, with metrics off.
// ROUNDS (default 3) sets the number of rounds. Prints a table for docs/benchmarks.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './subjects.js';

const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');
const WORKER = path.join(ROOT, 'bench/apps/idle-worker.cjs');
const INSTANCES = 4;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Settles, then the median of 5 readings over 5 s.
async function settledRss(pid: number): Promise<number> {
  await sleep(5_000);
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssMb(pid));
    await sleep(1_000);
  }
  return median(readings);
}

async function ours(metrics: boolean): Promise<number> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-idle-'));
  const config = path.join(home, 'ecosystem.json');
  writeFileSync(config, JSON.stringify({
    metrics: metrics ? { host: '127.0.0.1', port: 0 } : false,
    apps: [{ name: 'idle', script: WORKER, instances: INSTANCES, wait_ready: true }],
  }));
  const master = spawn(CLI, ['run', config], { env: { ...process.env, SUPERVISOR_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: master.stdout }).on('line', (line) => /app idle: all workers ready/.test(line) && resolve());
      master.once('exit', (code) => reject(new Error(`supervisor run exited ${code} before the app was ready`)));
    });
    master.stdout.resume();
    return await settledRss(master.pid!);
  } finally {
    master.kill('SIGTERM');
    await new Promise((r) => master.once('exit', r));
    rmSync(home, { recursive: true, force: true });
  }
}

async function pm2(): Promise<number> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-idle-pm2-'));
  const env = { ...process.env, PM2_HOME: home };
  const config = path.join(home, 'ecosystem.config.cjs');
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [{ name: 'idle', script: WORKER, exec_mode: 'fork', instances: INSTANCES, wait_ready: true }] })};\n`);
  const run = (...args: string[]) => execFileSync(process.execPath, [PM2, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    run('start', config);
    const end = Date.now() + 60_000;
    while ((JSON.parse(run('jlist')) as { pm2_env: { status: string } }[]).filter((p) => p.pm2_env.status === 'online').length < INSTANCES) {
      if (Date.now() > end) throw new Error('PM2 workers did not come online');
      await sleep(250);
    }
    return await settledRss(Number(readFileSync(path.join(home, 'pm2.pid'), 'utf8')));
  } finally {
    run('kill');
    rmSync(home, { recursive: true, force: true });
  }
}

const rows: { ours: number; oursNoMetrics: number; pm2: number }[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const row = { ours: await ours(true), pm2: await pm2(), oursNoMetrics: await ours(false) };
  rows.push(row);
  process.stdout.write(`round ${round}: ours ${row.ours.toFixed(1)} MB, PM2 daemon ${row.pm2.toFixed(1)} MB, ours with metrics off ${row.oursNoMetrics.toFixed(1)} MB\n`);
}
const pm2Version = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/pm2/package.json'), 'utf8')) as { version: string }).version;
const m = (k: keyof (typeof rows)[number]) => median(rows.map((r) => r[k]));
process.stdout.write([
  '',
  `| ${INSTANCES} idle Node workers | master / daemon RSS, median of ${ROUNDS} rounds | rounds |`,
  '|---|---|---|',
  `| graceful-supervisor (\`supervisor run\`, metrics on) | ${m('ours').toFixed(1)} MB | ${rows.map((r) => r.ours.toFixed(1)).join(', ')} |`,
  `| graceful-supervisor, \`"metrics": false\` | ${m('oursNoMetrics').toFixed(1)} MB | ${rows.map((r) => r.oursNoMetrics.toFixed(1)).join(', ')} |`,
  `| PM2 ${pm2Version} daemon, fork mode | ${m('pm2').toFixed(1)} MB | ${rows.map((r) => r.pm2.toFixed(1)).join(', ')} |`,
  '',
  `Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} at the end, ${new Date().toISOString().slice(0, 16)} UTC.`,
  `Target (master RSS <= PM2's daemon): ${m('ours') <= m('pm2') ? 'met' : `MISSED by ${(m('ours') - m('pm2')).toFixed(1)} MB`}.`,
  '',
].join('\n'));
