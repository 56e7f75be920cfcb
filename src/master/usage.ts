// CPU % and memory of the workers in a status snapshot, sampled by pidusage in the master:
// the master lives long, so pidusage's one-time setup (getconf) and its per-pid history
// (CPU % since the previous sample) are kept, and the CLI stays light.
import pidusage from 'pidusage';
import type { StatusReport } from './status.js';

// Fills in `cpu` (percent of one core, one decimal) and `memory` (RSS bytes) of every
// worker with a live pid; a pid that vanished meanwhile keeps null.
export async function withUsage(report: StatusReport): Promise<StatusReport> {
  const workers = report.apps.flatMap((a) => a.workers).filter((w) => w.pid !== null);
  const results = await Promise.allSettled(workers.map((w) => pidusage(w.pid!)));
  results.forEach((r, i) => {
    if (r.status !== 'fulfilled') return;
    workers[i]!.cpu = Math.round(r.value.cpu * 10) / 10;
    workers[i]!.memory = r.value.memory;
  });
  return report;
}
