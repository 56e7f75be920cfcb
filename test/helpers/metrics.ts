// Reaching a test master's metrics endpoint and checking its text with promtool.
import { spawnSync } from 'node:child_process';
import type { MasterProcess } from './master-process.js';

// The master's "metrics: serving <url>/metrics" line (a plain log line: it has no event of its own).
export const METRICS_SERVING = { event: 'log', message: /^metrics: serving http:\/\/\S+\/metrics/ } as const;

// Waits until the master serves metrics; returns the base URL (with the port it chose).
export async function metricsUrl(m: MasterProcess, timeoutMs = 20_000): Promise<string> {
  const e = await m.waitForEvent(METRICS_SERVING, { timeoutMs });
  return /(http:\/\/\S+)\/metrics/.exec(e.message)![1]!;
}

// GETs `url` and returns status, content type and body.
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

// The value of one sample line (`name{labels}`) in exposition text, or undefined.
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// Runs `promtool check metrics` on `text`; returns its exit status and everything it printed.
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`promtool is not installed (Debian package "prometheus"; .ci/run installs it): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}
