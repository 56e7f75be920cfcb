// The Markdown of the floor and job sections bench:reload writes to docs/benchmarks.md.
import type { Floor } from './floor.js';
import type { JobRun } from './jobs.js';
import { median } from './report.js';

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

// "## Reload floor": what a reload of one worker cannot beat, and ours against it.
export function renderFloor(f: Floor, when: string, env: string[]): string {
  const ratio = f.ourReload / f.bareWorker;
  return [
    '## Reload floor',
    '',
    `${when} Medians of ${f.rounds} interleaved rounds: \`node -e 0\` (spawn to exit); a bare HTTP worker`,
    '(`bench/apps/bare-http.cjs`: listen on a port, then a newline on the readiness fd; no SDK), spawned directly, from spawn',
    'to that newline; and a reload of our master running one such worker (`instances: 1`, `wait_ready`): from `SIGHUP`',
    '(the same path as `supervisor reload`) to the master\'s `reload-done` line (the config read, the new worker from',
    'spawn to ready, the old one told to go and gone), and as the `supervisor reload` command\'s wall time (a Node CLI',
    'start-up and the control socket on top). The',
    'config is JSON, so an unchanged file is not read again (`src/config/reuse-json.ts`); a second master runs the same',
    'text as `.yaml`, which the loader child reads on every reload, to show what that saves.',
    '',
    ...env.map((l) => `- ${l}`),
    '',
    '| | median | vs bare worker |',
    '|---|---|---|',
    `| \`node -e 0\` | ${ms(f.nodeE0)} | ${(f.nodeE0 / f.bareWorker).toFixed(2)}x |`,
    `| bare HTTP worker, spawn to listening | ${ms(f.bareWorker)} | 1.00x |`,
    `| our reload of one worker, \`SIGHUP\` to done | ${ms(f.ourReload)} | ${ratio.toFixed(2)}x |`,
    `| our reload of one worker, \`supervisor reload\` wall time | ${ms(f.ourReloadCommand)} | ${(f.ourReloadCommand / f.bareWorker).toFixed(2)}x |`,
    `| the same with the config as \`.yaml\` (read by the loader child every time), \`SIGHUP\` to done | ${ms(f.ourReloadYaml)} | ${(f.ourReloadYaml / f.bareWorker).toFixed(2)}x |`,
    `| the same, \`supervisor reload\` wall time | ${ms(f.ourReloadYamlCommand)} | ${(f.ourReloadYamlCommand / f.bareWorker).toFixed(2)}x |`,
    '',
    `Each reload, \`SIGHUP\` to done: ${f.ourReloads.map((v) => v.toFixed(0)).join(', ')} ms.`,
    '',
    `Target: ${verdict(ratio <= 1.5)}: reload of one worker <= 1.5x the floor (${ms(f.ourReload)} vs 1.5 x ${ms(f.bareWorker)} = ${ms(1.5 * f.bareWorker)}).`,
    '',
  ].join('\n');
}

// "## Job workers through reloads": jobs cut by reloads, per supervisor.
export function renderJobs(runs: JobRun[], when: string, env: string[]): string {
  const row = (label: string, cell: (r: JobRun) => string) => `| ${label} | ${runs.map(cell).join(' | ')} |`;
  const ours = runs[0]!;
  return [
    '## Job workers through reloads',
    '',
    `${when} 3 workers (\`bench/apps/job-worker.mjs\`, the same file under each, no SDK) take 200 ms jobs from a`,
    'local queue (`bench/job-queue.ts`: "take", "job N", "done N" over TCP; a job whose connection closes before its',
    '"done" was cut). Each supervisor starts them, and after 2 s runs its reload command 6 times, 1 s after the one before',
    'returned. The worker stops the conventional way: on SIGTERM (or PM2\'s `shutdown` message) it takes no new job, finishes',
    'the one in hand and exits. PM2 runs with its defaults (no `exec_mode`, `kill_timeout` or signal set): it stops a',
    'worker with SIGINT, then SIGKILL after 1.6 s. The last column is PM2 again with a worker that handles SIGINT as well.',
    '',
    ...env.map((l) => `- ${l}`),
    '',
    `| | ${runs.map((r) => r.name).join(' | ')} |`,
    `|---|${runs.map(() => '---|').join('')}`,
    row('settings', (r) => r.settings),
    row('jobs handed out', (r) => String(r.handedOut)),
    row('jobs done', (r) => String(r.done)),
    row('**jobs cut**', (r) => `**${r.cut}**`),
    row('reload command wall time, median', (r) => ms(median(r.reloadMs))),
    row('reload command to last old worker gone, median', (r) => ms(median(r.goneMs))),
    row('seconds, start to stop', (r) => r.seconds.toFixed(1)),
    '',
    `Target: ${verdict(ours.cut === 0)}: 0 jobs cut for us (${ours.cut}); PM2: ${runs.slice(1).map((r) => `${r.cut} (${r.name})`).join(', ')}.`,
    '',
  ].join('\n');
}
