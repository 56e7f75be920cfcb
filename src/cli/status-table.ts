// The human table of `supervisor status` (cli-table3): one row per worker.
import Table from 'cli-table3';
import type { AppJson } from './status.js';

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
  const table = new Table({ head: ['app', 'id', 'pid', 'state', 'gen', 'uptime', 'restarts', 'cpu', 'memory'], style: { head: [], border: [] } });
  for (const app of apps) {
    if (app.workers.length === 0) table.push([app.name, '-', '-', app.status, '-', '-', '-', '-', '-']);
    for (const w of app.workers) {
      table.push([app.name, w.id, w.pid ?? '-', w.state, w.generation, w.pid === null ? '-' : duration(w.uptime_ms), w.restarts, w.cpu === null ? '-' : `${w.cpu}%`, bytes(w.memory)]);
    }
  }
  if (apps.length === 0) return 'no apps';
  return table.toString();
}
