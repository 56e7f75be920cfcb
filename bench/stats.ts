// Turns a load record and the reload windows into the figures the report shows.
import type { LoadRecord } from './load.js';

// A span of wall time (ms since epoch).
export interface Window { readonly from: number; readonly to: number }

// The figures for one supervisor.
export interface Figures {
  readonly requests: number;
  readonly rps: number;
  readonly steadyRps: number;
  // How much of the run counted as steady state.
  readonly steadySeconds: number;
  readonly errorsByCode: Record<string, number>;
  readonly non2xx: number;
  readonly steadyP50: number;
  readonly steadyP99: number;
  readonly reloadP50: number;
  readonly reloadP99: number;
}

// The q-th percentile of `values` (nearest rank), or NaN when empty.
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)]!;
}

// Splits `rec` into steady state and reload windows (each widened by `tailMs` after the
// command returned); the first `warmupMs` of the run count as neither.
export function figures(rec: LoadRecord, windows: Window[], tailMs: number, warmupMs: number): Figures {
  const inReload = (at: number) => windows.some((w) => at >= w.from && at <= w.to + tailMs);
  const steadyFrom = rec.startedAt + warmupMs;
  const steady = rec.samples.filter((s) => s.at >= steadyFrom && !inReload(s.at));
  const reload = rec.samples.filter((s) => inReload(s.at));
  const total = rec.endedAt - rec.startedAt;
  // Steady time is counted in 10 ms steps, so overlapping or late windows are not subtracted twice.
  let steadyMs = 0;
  for (let t = steadyFrom; t < rec.endedAt; t += 10) if (!inReload(t)) steadyMs += 10;
  const errorsByCode: Record<string, number> = {};
  for (const e of rec.errors) errorsByCode[e.code] = (errorsByCode[e.code] ?? 0) + 1;
  return {
    requests: rec.samples.length,
    rps: rec.samples.length / (total / 1000),
    steadyRps: steadyMs > 0 ? steady.length / (steadyMs / 1000) : NaN,
    steadySeconds: steadyMs / 1000,
    errorsByCode,
    non2xx: rec.samples.filter((s) => s.status < 200 || s.status > 299).length,
    steadyP50: percentile(steady.map((s) => s.ms), 50),
    steadyP99: percentile(steady.map((s) => s.ms), 99),
    reloadP50: percentile(reload.map((s) => s.ms), 50),
    reloadP99: percentile(reload.map((s) => s.ms), 99),
  };
}
