// Bench (not part of npm test): scrape latency of GET /metrics with 32 workers each
// exporting 20 metrics, and the master's resident memory with those 32 workers.
// Run: npm run bench:metrics   (WORKERS, METRICS_PER_WORKER, SCRAPES override the defaults;
// MASTER_NODE_FLAGS passes flags to the master's node, e.g. "--max-semi-space-size=1";
// METRICS=off runs the same workers with "metrics": false and no scrapes, for the RSS baseline;
// SCRAPE_GAP_MS waits between scrapes, like a scraper's interval, instead of back to back;
// PM2_BIN=<path to pm2> also runs the same workers under PM2, in the same run, and reads its
// daemon's RSS before and after as many `pm2 jlist` calls, PM2's per-worker CPU/memory query)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKERS = Number(process.env.WORKERS ?? 32);
const PER_WORKER = Number(process.env.METRICS_PER_WORKER ?? 20);
const SCRAPES = Number(process.env.SCRAPES ?? 50);
// The fixture exports 3 metrics of its own; the rest are extra gauges.
const EXTRA = Math.max(0, PER_WORKER - 3);
const FLAGS = (process.env.MASTER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const METRICS_ON = process.env.METRICS !== 'off';
const GAP_MS = Number(process.env.SCRAPE_GAP_MS ?? 0);

const rssMb = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;

// The same workers under PM2 (fork mode): its daemon's RSS settled, and after SCRAPES `pm2 jlist` calls.
async function pm2Side(pm2: string, dir: string): Promise<Record<string, number | string>> {
  const env = { ...process.env, PM2_HOME: path.join(dir, 'pm2-home') };
  const file = path.join(dir, 'pm2-ecosystem.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'bench', script: path.join(ROOT, 'test/fixtures/metrics-worker.mjs'), instances: WORKERS, exec_mode: 'fork', env: { EXTRA_METRICS: EXTRA } }] }));
  const pm2Run = (...args: string[]) => execFileSync(pm2, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    pm2Run('start', file);
    const end = Date.now() + 120_000;
    while ((JSON.parse(pm2Run('jlist')) as { pm2_env: { status: string } }[]).filter((p) => p.pm2_env.status === 'online').length < WORKERS) {
      if (Date.now() > end) throw new Error('PM2 workers did not come online');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    const daemon = Number(readFileSync(path.join(env.PM2_HOME, 'pm2.pid'), 'utf8'));
    const settled = rssMb(daemon, 'VmRSS');
    for (let i = 0; i < SCRAPES; i++) pm2Run('jlist');
    return { pm2_version: pm2Run('--version').trim(), pm2_daemon_rss_mb: +settled.toFixed(1), pm2_daemon_rss_after_jlists_mb: +rssMb(daemon, 'VmRSS').toFixed(1), pm2_daemon_peak_rss_mb: +rssMb(daemon, 'VmHWM').toFixed(1) };
  } finally {
    pm2Run('kill');
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-metrics-'));
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, JSON.stringify({
    metrics: METRICS_ON ? { host: '127.0.0.1', port: 0 } : false,
    apps: [{ name: 'bench', script: path.join(ROOT, 'test/fixtures/metrics-worker.mjs'), instances: WORKERS, wait_ready: true, listen_timeout: '60s', kill_timeout: '10s', env: { EXTRA_METRICS: EXTRA } }],
  }));
  // Without MASTER_NODE_FLAGS, the CLI runs as users run it: its shebang sets the node flags.
  const cli = path.join(ROOT, 'dist/src/cli/main.js');
  const [bin, args] = FLAGS.length ? [process.execPath, [...FLAGS, cli, 'run', file]] : [cli, ['run', file]];
  const master = spawn(bin, args, { env: { ...process.env, SUPERVISOR_HOME: path.join(dir, 'home') }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: master.stdout! }).on('line', (l) => lines.push(l));
  const waitLine = async (re: RegExp, ms: number) => {
    const end = Date.now() + ms;
    for (;;) {
      const hit = lines.find((l) => re.test(l));
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    const t0 = performance.now();
    const url = METRICS_ON ? /(http:\/\/\S+)\/metrics/.exec(await waitLine(/metrics: serving/, 30_000))![1]! : null;
    await waitLine(/app bench: all workers ready/, 120_000);
    const startMs = performance.now() - t0;
    // Let the sampler and the event loop settle before measuring.
    await new Promise((r) => setTimeout(r, 3_000));
    if (url === null) {
      process.stdout.write(JSON.stringify({ workers: WORKERS, metrics: 'off', master_node_flags: FLAGS.join(' '), master_rss_mb: +rssMb(master.pid!, 'VmRSS').toFixed(1), master_peak_rss_mb: +rssMb(master.pid!, 'VmHWM').toFixed(1) }, null, 2) + '\n');
      return;
    }
    const settledRss = rssMb(master.pid!, 'VmRSS');
    const scrape = async () => {
      const s = performance.now();
      const body = await (await fetch(`${url}/metrics`)).text();
      return { ms: performance.now() - s, body };
    };
    for (let i = 0; i < 5; i++) await scrape();
    const first = await scrape();
    const workerSeries = first.body.split('\n').filter((l) => l.startsWith('fixture_')).length;
    const timings: number[] = [];
    for (let i = 0; i < SCRAPES; i++) {
      timings.push((await scrape()).ms);
      if (GAP_MS > 0) await new Promise((r) => setTimeout(r, GAP_MS));
    }
    const rss = rssMb(master.pid!, 'VmRSS');
    const hwm = rssMb(master.pid!, 'VmHWM');
    const result = {
      workers: WORKERS,
      metrics_per_worker: PER_WORKER,
      worker_series_in_scrape: workerSeries,
      scrape_bytes: first.body.length,
      scrapes: SCRAPES,
      scrape_gap_ms: GAP_MS,
      scrape_ms: { median: +pct(timings, 0.5).toFixed(1), p90: +pct(timings, 0.9).toFixed(1), min: +Math.min(...timings).toFixed(1), max: +Math.max(...timings).toFixed(1) },
      master_rss_before_scrapes_mb: +settledRss.toFixed(1),
      master_rss_mb: +rss.toFixed(1),
      master_peak_rss_mb: +hwm.toFixed(1),
      start_all_workers_ms: Math.round(startMs),
      master_node_flags: FLAGS.join(' '),
      node: process.version,
      cpus: os.cpus().length,
      loadavg_1m: +os.loadavg()[0]!.toFixed(2),
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    const pm2DaemonMb = 61; // ANCHORS.md: PM2 7.0.4's daemon, 61 to 65 MB, 4 workers
    process.stdout.write(`scrape median ${result.scrape_ms.median} ms (target <= 50 ms): ${result.scrape_ms.median <= 50 ? 'met' : 'MISSED'}\n`);
    process.stdout.write(`master RSS ${result.master_rss_mb} MB vs 0.75 x PM2 daemon (${(0.75 * pm2DaemonMb).toFixed(1)} MB): ${result.master_rss_mb < 0.75 * pm2DaemonMb ? 'met' : 'MISSED'}\n`);
  } finally {
    master.kill('SIGTERM');
    await new Promise((r) => master.once('exit', r));
  }
  if (process.env.PM2_BIN) process.stdout.write(JSON.stringify(await pm2Side(process.env.PM2_BIN, dir), null, 2) + '\n');
}

await main();
