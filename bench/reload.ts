// `npm run bench:reload`: four cases, written side by side to docs/benchmarks.md. Two with 5
// reloads under autocannon (50 keep-alive connections, 25 s):
// - "app": the same 4-worker HTTP app (20 ms handler) under graceful-supervisor and under PM2
//   cluster mode;
// - "pm2-file": one PM2 cluster-mode ecosystem file (exec_mode "cluster", instances 4,
//   node_args, env_production) with an unmodified Express app, started by both with
//   `start <file> --env production`.
// - "floor": `node -e 0`, a bare HTTP worker's spawn-to-listening, and our reload of one worker;
// - "jobs": 3 job workers (200 ms jobs from a local queue), 6 reloads, jobs cut, ours and PM2's.
// BENCH_CASES=app (or a list: floor,jobs) runs only those.
import os from 'node:os';
import path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad } from './load.js';
import { figures, type Window } from './stats.js';
import { renderSection, writeSection, type Column } from './report.js';
import { defaultSurge, usableCpus } from '../src/master/cpu-budget.js';
import { measureFloor } from './floor.js';
import { jobRun } from './jobs.js';
import { renderFloor, renderJobs } from './report-extra.js';
import { ROOT, pm2Settings, startOurs, startOursJobs, startOursOnPm2File, startPm2, startPm2Jobs, startPm2OnFile, writePm2ClusterFile, type Subject } from './subjects.js';
import { freePort } from './free-port.js';

const CONNECTIONS = 50;
// BENCH_SECONDS/BENCH_RELOADS shorten a trial run; the documented figures use the defaults.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 25);
// The load's own limit, only reached if a reload command hangs.
const MAX_SECONDS = 300;
const RELOADS = Number(process.env.BENCH_RELOADS ?? 5);
const FIRST_RELOAD_S = 3;
const RELOAD_EVERY_S = 4;
const TAIL_MS = 1000;
const WARMUP_MS = 1000;
const CASES = (process.env.BENCH_CASES ?? 'floor,app,pm2-file,jobs').split(',');


// The load runs until the last reload command has returned and at least TAIL_MS + 2 s more
// (and at least SECONDS in all), so every reload, however slow, happens under load.
async function bench(start: (port: number) => Promise<Subject>, fixedPort?: number): Promise<Column> {
  const port = fixedPort ?? (await freePort());
  const subject = await start(port);
  try {
    let rssMax = subject.rss();
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, subject.rss())), 250);
    const load = runLoad(`http://127.0.0.1:${port}/`, CONNECTIONS, MAX_SECONDS);
    const windows: Window[] = [];
    const reloadMs: number[] = [];
    const goneMs: number[] = [];
    let underLoad = 0;
    for (let i = 0; i < RELOADS; i++) {
      const at = load.record.startedAt + (FIRST_RELOAD_S + i * RELOAD_EVERY_S) * 1000;
      await sleep(Math.max(0, at - Date.now()));
      const from = Date.now();
      if (load.record.endedAt === 0) underLoad++;
      const r = await subject.reload();
      reloadMs.push(r.wallMs);
      goneMs.push(r.goneMs);
      windows.push({ from, to: Date.now() });
      process.stdout.write(`  ${subject.name}: reload ${i + 1} took ${r.wallMs.toFixed(0)} ms, old workers gone after ${r.goneMs.toFixed(0)} ms\n`);
    }
    await sleep(Math.max(TAIL_MS + 2000, load.record.startedAt + SECONDS * 1000 - Date.now()));
    load.stop();
    const record = await load.done;
    clearInterval(sampler);
    return { name: subject.name, reloadCommand: subject.reloadCommand, figures: figures(record, windows, TAIL_MS, WARMUP_MS), reloadMs, goneMs, reloadsUnderLoad: underLoad, rssMaxBytes: rssMax };
  } finally {
    await subject.stop();
  }
}

const version = (pkg: string) => (JSON.parse(readFileSync(path.join(ROOT, pkg, 'package.json'), 'utf8')) as { version: string }).version;

const cpus = os.cpus();
const environment = (express: boolean) => [
  `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.type()} ${os.release()}`,
  `load average when the run ended (1, 5, 15 min): ${os.loadavg().map((l) => l.toFixed(1)).join(', ')}, on ${cpus.length} cores`,
  `Node ${process.version}, graceful-supervisor ${version('.')}, PM2 ${version('node_modules/pm2')}, autocannon ${version('node_modules/autocannon')}${express ? `, Express ${version('node_modules/express')}` : ''}`,
];
const when = () => new Date().toISOString().slice(0, 16).replace('T', ' ');
const timing = [
  `autocannon with ${CONNECTIONS} keep-alive connections, and ${RELOADS} reload commands at`,
  `${FIRST_RELOAD_S} s, then every ${RELOAD_EVERY_S} s (or as soon as the one before returned); the load lasts ${SECONDS} s, or until`,
  `${(TAIL_MS + 2000) / 1000} s after the last reload returned, so every reload runs under load. "During reloads" is every response that`,
  `completed between a reload command's start and ${TAIL_MS / 1000} s after it returned; "steady state" is the rest, after a ${WARMUP_MS / 1000} s warm-up.`,
  '"Last old worker gone" is the time from the command\'s start until none of the master\'s (daemon\'s) child processes',
  'from before the command is alive (polled every 10 ms in /proc).',
];
// BENCH_HEADING_SUFFIX (", Node 24") keeps a run on another Node beside the default one.
const SUFFIX = process.env.BENCH_HEADING_SUFFIX ?? '';
const publish = (written: string) => {
  const section = written.replace(/^(## .*)$/m, `$1${SUFFIX}`);
  writeSection(path.join(ROOT, 'docs/benchmarks.md'), section);
  process.stdout.write(`\n${section}\nwritten to docs/benchmarks.md\n`);
};

if (CASES.includes('floor')) {
  process.stdout.write('floor...\n');
  const floor = await measureFloor();
  publish(renderFloor(floor, `Run with \`npm run bench:reload\` on ${when()} UTC.`, environment(false)));
}

if (CASES.includes('app')) {
  if (CASES.includes('floor')) await sleep(2000);
  // Ours with the default surge, PM2, then ours with every new worker at once (the old default).
  process.stdout.write('graceful-supervisor...\n');
  const ours = [await bench((port) => startOurs(port))];
  await sleep(2000);
  process.stdout.write('PM2 cluster...\n');
  const pm2 = await bench(startPm2);
  await sleep(2000);
  process.stdout.write('graceful-supervisor, reload_surge 4...\n');
  ours.push(await bench((port) => startOurs(port, { surge: 4 })));
  const setup = [
    `Run with \`npm run bench:reload\` on ${when()} UTC. The same HTTP app file (\`bench/apps/http-app.mjs\`, 20 ms per`,
    'request, 4 workers, `wait_ready`, `kill_timeout` 5 s) under each supervisor, PM2 in cluster mode, one after the',
    `other in the same run: ours with its default surge (${defaultSurge()} on this machine: half its ${usableCpus()} usable CPUs), PM2, then`,
    'ours with `reload_surge: 4` (the whole new generation at once, the default before). Each run:',
    ...timing,
    'The app uses the SDK, which also works outside our supervisor: `listen` takes the socket our master passed down, or',
    'listens on PORT (shared by PM2\'s cluster module); `drainOnShutdown` drains keep-alive connections on finish-and-exit',
    '(under PM2: its SIGINT); ready is `ready()` under ours, `process.send("ready")` under PM2. The reload commands are',
    '`supervisor reload` and `pm2 reload web`, each a separate process that returns once the reload is done, so both',
    'wall times include a Node start-up. Latency is timed per connection as the gap since its previous',
    'response (see `bench/load.ts`): autocannon\'s own latency figure is wrong after a `Connection: close`.',
    '',
    'The machine is shared (2 cores, several sessions at once) and autocannon runs on it too: absolute figures are',
    'noisy; compare the columns, which ran one after the other within about three minutes.',
  ].join('\n');
  publish(renderSection(ours, pm2, setup, environment(false)));
}

if (CASES.includes('pm2-file')) {
  if (CASES.includes('app')) await sleep(2000);
  const port = await freePort();
  const file = writePm2ClusterFile(port);
  try {
    process.stdout.write('graceful-supervisor on the PM2 file...\n');
    const ours = await bench(() => startOursOnPm2File(file), port);
    await sleep(2000);
    process.stdout.write('PM2 on the PM2 file...\n');
    const pm2 = await bench(() => startPm2OnFile(file), port);
    const setup = [
      `Run with \`npm run bench:reload\` on ${when()} UTC. One PM2 ecosystem file as PM2 users write it for cluster`,
      'mode (`bench/subjects.ts`, `writePm2ClusterFile`: `exec_mode: "cluster"`, `instances: 4`, `node_args`, `env` and',
      '`env_production` with the port) and an unmodified Express app (`bench/apps/express-app.cjs`: `app.listen(PORT)` in',
      'every instance, a 20 ms handler, no readiness signal, no shutdown handler, no SDK). Both supervisors start this',
      'very file with `start ecosystem.config.js --env production` (ours as a daemon), one after the other. Each run:',
      ...timing,
      'Here every worker calls `app.listen(PORT)`: PM2\'s cluster module shares the port, and ours serves the call',
      'from the one socket the master holds (cluster mode, [protocols.md](protocols.md#cluster-mode-listen-in-every-instance)),',
      'and drains the app\'s servers on `SIGTERM`. PM2 stops an old worker with `SIGINT`, which this app does not handle.',
    ].join('\n');
    publish(renderSection([ours], pm2, setup, environment(true), '## Reload under load: a PM2 cluster-mode file, unmodified Express app'));
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

if (CASES.includes('jobs')) {
  await sleep(2000);
  const runs = [];
  process.stdout.write('jobs: graceful-supervisor...\n');
  runs.push(await jobRun((port) => startOursJobs(port), async () => 'wait_ready, kill_timeout 5 s, stop_signal SIGTERM (default)'));
  await sleep(2000);
  process.stdout.write('jobs: PM2...\n');
  runs.push(await jobRun((port) => startPm2Jobs(port, 'SIGTERM', 'PM2, defaults'), pm2Settings));
  await sleep(2000);
  process.stdout.write('jobs: PM2, worker also handles SIGINT...\n');
  runs.push(await jobRun((port) => startPm2Jobs(port, 'SIGTERM,SIGINT', 'PM2, defaults, worker handles SIGINT too'), pm2Settings));
  publish(renderJobs(runs, `Run with \`npm run bench:reload\` on ${when()} UTC.`, environment(false)));
}
