// `supervisor status`: a table of apps and workers, or the stable JSON shape with --json.
// CPU and memory are sampled here (pidusage), so the master's loop does no extra work; this
// module loads no master code (type imports only) so the verb stays fast.
import type { StatusReport } from '../master/status.js';
import { callMaster } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { sampleUsage, type Usage } from './usage.js';

// Options of `supervisor status`.
export interface StatusOptions { readonly json?: boolean; readonly home?: string }

// One worker in `status --json`: the stable machine shape.
export interface WorkerJson { id: number; pid: number | null; state: string; generation: number; restarts: number; uptime_ms: number; cpu: number | null; memory: number | null }
// One app in `status --json`.
export interface AppJson { name: string; status: string; workers: WorkerJson[] }

// The stable `status --json` document, built from the master's report and sampled usage.
export function statusJson(report: StatusReport, usage: ReadonlyMap<number, Usage>): { apps: AppJson[] } {
  return {
    apps: report.apps.map((a) => ({
      name: a.name,
      status: a.status,
      workers: a.workers.map((w) => {
        const u = w.pid === null ? undefined : usage.get(w.pid);
        return { id: w.id, pid: w.pid, state: w.state, generation: w.generation, restarts: w.restarts, uptime_ms: w.uptime_ms, cpu: u?.cpu ?? null, memory: u?.memory ?? null };
      }),
    })),
  };
}

// Prints the status; resolves with the exit code.
export async function status(opts: StatusOptions): Promise<ExitCode> {
  const res = await callMaster(opts, 'status');
  const report = res.data as StatusReport;
  const pids = report.apps.flatMap((a) => a.workers.flatMap((w) => (w.pid === null ? [] : [w.pid])));
  const doc = statusJson(report, await sampleUsage(pids));
  if (opts.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return EXIT.OK;
  }
  const { renderStatusTable } = await import('./status-table.js');
  process.stdout.write(renderStatusTable(doc.apps) + '\n');
  return EXIT.OK;
}
