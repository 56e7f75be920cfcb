// The human table of `supervisor status`: one row per worker, in plain aligned columns
// like `ps` and `kubectl get` (easy to read, grep and awk). No table library: loading
// cli-table3 alone cost 10 ms, the whole margin of the 1.5x-of-`node -e 0` goal.
import type { AppJson } from './status.js';

const HEAD = ['APP', 'ID', 'PID', 'STATE', 'GEN', 'UPTIME', 'RESTARTS', 'CPU', 'MEMORY'];

// Pads every column to its widest cell, two spaces apart.
function columns(rows: readonly (readonly string[])[]): string {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

function bytes(n: number | null): string {
  if (n === null) return '-';
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// Renders the apps as a table; an app without workers gets one row with its status.
export function renderStatusTable(apps: readonly AppJson[]): string {
  if (apps.length === 0) return 'no apps';
  const rows: string[][] = [HEAD];
  for (const app of apps) {
    if (app.workers.length === 0) rows.push([app.name, '-', '-', app.status, '-', '-', '-', '-', '-']);
    for (const w of app.workers) {
      rows.push([app.name, String(w.id), String(w.pid ?? '-'), w.state, String(w.generation), w.pid === null ? '-' : duration(w.uptime_ms), String(w.restarts), w.cpu === null ? '-' : `${w.cpu}%`, bytes(w.memory)]);
    }
  }
  return columns(rows);
}
