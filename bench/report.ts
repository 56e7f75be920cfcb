// Writes the "Reload under load" section of docs/benchmarks.md, replacing only that section.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Figures } from './stats.js';

// One subject's results.
export interface Column {
  readonly name: string;
  readonly reloadCommand: string;
  readonly figures: Figures;
  // Wall time of each reload command (the whole client process).
  readonly reloadMs: number[];
  // From each reload command's start until the last worker running before it was gone.
  readonly goneMs: number[];
  readonly reloadsUnderLoad: number;
  readonly rssMaxBytes: number;
}

// The heading of the section bench:reload writes for its first case (the same app under each).
export const HEADING = '## Reload under load';

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const list = (xs: number[]) => `${xs.map((v) => v.toFixed(0)).join(', ')} ms`;
// The middle value (the upper one of an even count), NaN when empty.
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const errors = (f: Figures) => {
  const parts = Object.entries(f.errorsByCode).map(([code, n]) => `${code}: ${n}`);
  const total = Object.values(f.errorsByCode).reduce((a, b) => a + b, 0);
  return total === 0 ? '0' : `${total} (${parts.join(', ')})`;
};

function checksFor(ours: Column, pm2: Column): [string, boolean, string][] {
  const o = ours.figures;
  const p = pm2.figures;
  const failed = Object.values(o.errorsByCode).reduce((a, b) => a + b, 0);
  const half = 0.5 * median(pm2.reloadMs);
  return [
    ['0 failed requests', failed === 0 && o.non2xx === 0, `${failed} failed, ${o.non2xx} non-2xx`],
    ['p99 during reloads <= 1.5x steady p99', o.reloadP99 <= 1.5 * o.steadyP99, `${ms(o.reloadP99)} vs 1.5 x ${ms(o.steadyP99)} = ${ms(1.5 * o.steadyP99)}`],
    ['reload <= 0.5x `pm2 reload` (medians of the whole commands)', median(ours.reloadMs) <= half, `${ms(median(ours.reloadMs))} vs ${ms(half)}`],
    ["steady rps >= PM2's", o.steadyRps >= p.steadyRps, `${o.steadyRps.toFixed(0)} vs ${p.steadyRps.toFixed(0)}`],
  ];
}

// The Markdown of the section: one column per run of ours, then PM2's.
export function renderSection(ours: Column[], pm2: Column, setup: string, env: string[], heading = HEADING): string {
  const all = [...ours, pm2];
  const row = (label: string, cell: (c: Column) => string, target = '') => `| ${label} | ${all.map(cell).join(' | ')} | ${target} |`;
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  return [
    heading,
    '',
    setup,
    '',
    ...env.map((l) => `- ${l}`),
    '',
    `| | ${all.map((c) => c.name).join(' | ')} | target |`,
    `|---|${all.map(() => '---|').join('')}---|`,
    row('requests completed', (c) => String(c.figures.requests)),
    row('rps, whole run', (c) => c.figures.rps.toFixed(0)),
    row('rps, steady state', (c) => c.figures.steadyRps.toFixed(0), 'ours >= PM2'),
    row('seconds counted as steady state', (c) => c.figures.steadySeconds.toFixed(1)),
    row('failed requests (by error code)', (c) => errors(c.figures), '0 for us'),
    row('non-2xx responses', (c) => String(c.figures.non2xx)),
    row('p50, steady state', (c) => ms(c.figures.steadyP50)),
    row('p50, during reloads', (c) => ms(c.figures.reloadP50)),
    row('p99, steady state', (c) => ms(c.figures.steadyP99)),
    row('p99, during reloads', (c) => ms(c.figures.reloadP99), 'ours <= 1.5x our steady'),
    row('reload command', (c) => c.reloadCommand),
    row('reloads started while under load', (c) => `${c.reloadsUnderLoad} of ${c.reloadMs.length}`),
    row('reload command wall time, each', (c) => list(c.reloadMs)),
    row('reload command wall time, median', (c) => ms(median(c.reloadMs))),
    row('reload command wall time, max', (c) => ms(Math.max(...c.reloadMs))),
    row('reload command to last old worker gone, each', (c) => list(c.goneMs)),
    row('reload command to last old worker gone, median', (c) => ms(median(c.goneMs))),
    row('master / daemon RSS, max', (c) => mb(c.rssMaxBytes)),
    '',
    'Targets:',
    '',
    ...ours.flatMap((c) => checksFor(c, pm2).map(([what, ok, detail]) => `- ${c.name}: ${ok ? 'met' : '**missed**'}: ${what} (${detail})`)),
    '',
  ].join('\n');
}

// Puts `section` into `file` in place of an earlier section with the same heading (its first line).
export function writeSection(file: string, section: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const heading = section.slice(0, section.indexOf('\n'));
  const at = old.indexOf(`\n${heading}\n`);
  const start = at < 0 ? -1 : at + 1;
  let text: string;
  if (start < 0) text = `${old.trimEnd()}\n\n${section}`;
  else {
    const next = old.indexOf('\n## ', start + heading.length);
    text = old.slice(0, start) + section + (next < 0 ? '' : `\n${old.slice(next + 1)}`);
  }
  writeFileSync(file, text.trimEnd() + '\n');
}
