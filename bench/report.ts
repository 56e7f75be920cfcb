// Writes the "Reload under load" section of docs/benchmarks.md, replacing only that section.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Figures } from './stats.js';

// One subject's results.
export interface Column { readonly name: string; readonly reloadCommand: string; readonly figures: Figures; readonly reloadMs: number[]; readonly rssMaxBytes: number }

const HEADING = '## Reload under load';

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const errors = (f: Figures) => {
  const parts = Object.entries(f.errorsByCode).map(([code, n]) => `${code}: ${n}`);
  const total = Object.values(f.errorsByCode).reduce((a, b) => a + b, 0);
  return total === 0 ? '0' : `${total} (${parts.join(', ')})`;
};

// The Markdown of the section.
export function renderSection(ours: Column, pm2: Column, setup: string, env: string[]): string {
  const row = (label: string, a: string, b: string, target = '') => `| ${label} | ${a} | ${b} | ${target} |`;
  const o = ours.figures;
  const p = pm2.figures;
  const oursFailed = Object.values(o.errorsByCode).reduce((a, b) => a + b, 0);
  const checks = [
    [`0 failed requests for us`, oursFailed === 0 && o.non2xx === 0, `${oursFailed} failed, ${o.non2xx} non-2xx`],
    [`p99 during reloads <= 1.5x our steady p99`, o.reloadP99 <= 1.5 * o.steadyP99, `${ms(o.reloadP99)} vs 1.5 x ${ms(o.steadyP99)} = ${ms(1.5 * o.steadyP99)}`],
    [`reload wall time <= 0.5x PM2's (median)`, median(ours.reloadMs) <= 0.5 * median(pm2.reloadMs), `${ms(median(ours.reloadMs))} vs 0.5 x ${ms(median(pm2.reloadMs))} = ${ms(0.5 * median(pm2.reloadMs))}`],
    [`steady rps >= PM2's`, o.steadyRps >= p.steadyRps, `${o.steadyRps.toFixed(0)} vs ${p.steadyRps.toFixed(0)}`],
  ] as const;
  return [
    HEADING,
    '',
    setup,
    '',
    ...env.map((l) => `- ${l}`),
    '',
    `| | ${ours.name} | ${pm2.name} | target |`,
    '|---|---|---|---|',
    row('requests completed', String(o.requests), String(p.requests)),
    row('rps, whole run', o.rps.toFixed(0), p.rps.toFixed(0)),
    row('rps, steady state', o.steadyRps.toFixed(0), p.steadyRps.toFixed(0), 'ours >= PM2'),
    row('failed requests (by error code)', errors(o), errors(p), '0 for us'),
    row('non-2xx responses', String(o.non2xx), String(p.non2xx)),
    row('p99, steady state', ms(o.steadyP99), ms(p.steadyP99)),
    row('p99, during reloads', ms(o.reloadP99), ms(p.reloadP99), 'ours <= 1.5x our steady'),
    row('reload command', ours.reloadCommand, pm2.reloadCommand),
    row('reload wall time, each', ours.reloadMs.map((v) => v.toFixed(0)).join(', ') + ' ms', pm2.reloadMs.map((v) => v.toFixed(0)).join(', ') + ' ms'),
    row('reload wall time, median', ms(median(ours.reloadMs)), ms(median(pm2.reloadMs)), 'ours <= 0.5x PM2'),
    row('master / daemon RSS, max', `${(ours.rssMaxBytes / 2 ** 20).toFixed(1)} MB`, `${(pm2.rssMaxBytes / 2 ** 20).toFixed(1)} MB`),
    '',
    'Targets:',
    '',
    ...checks.map(([what, ok, detail]) => `- ${ok ? 'met' : '**missed**'}: ${what} (${detail})`),
    '',
  ].join('\n');
}

// Puts `section` into `file` in place of an earlier "Reload under load" section.
export function writeSection(file: string, section: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = old.indexOf(HEADING);
  let text: string;
  if (start < 0) text = `${old.trimEnd()}\n\n${section}`;
  else {
    const next = old.indexOf('\n## ', start + HEADING.length);
    text = old.slice(0, start) + section + (next < 0 ? '' : `\n${old.slice(next + 1)}`);
  }
  writeFileSync(file, text.trimEnd() + '\n');
}
