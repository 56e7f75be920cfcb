// `supervisor status`: a table of apps and workers, or the stable JSON shape with --json.
// CPU and memory come sampled from the master (pidusage there keeps its history); this
// module loads no master code (type imports only) so the verb stays fast.
import type { StatusReport } from '../master/status.js';
import { callMaster } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';

// Options of `supervisor status` (`app`: only that app).
export interface StatusOptions { readonly json?: boolean; readonly home?: string; readonly app?: string }

// One worker in `status --json`: the stable machine shape.
export interface WorkerJson { id: number; pid: number | null; state: string; generation: number; restarts: number; uptime_ms: number; cpu: number | null; memory: number | null }
// One app in `status --json`: `instances` runs now; `file_instances` is the file's count
// (they differ after `supervisor scale`).
export interface AppJson { name: string; status: string; instances: number; file_instances: number; workers: WorkerJson[] }
// One config file in `status --json`, with whether its last load worked.
export interface ConfigJson { file: string; ok: boolean; error: string | null; loaded_at: string }

// The stable `status --json` document, built from the master's report.
export function statusJson(report: StatusReport): { apps: AppJson[]; configs: ConfigJson[]; metrics?: StatusReport['metrics']; master?: StatusReport['master'] } {
  return {
    apps: report.apps.map((a) => ({
      name: a.name,
      status: a.status,
      instances: a.instances,
      file_instances: a.file_instances,
      workers: a.workers.map((w) => ({ id: w.id, pid: w.pid, state: w.state, generation: w.generation, restarts: w.restarts, uptime_ms: w.uptime_ms, cpu: w.cpu, memory: w.memory })),
    })),
    configs: report.configs.map((c) => ({ file: c.file, ok: c.ok, error: c.error, loaded_at: c.loaded_at })),
    ...(report.metrics ? { metrics: report.metrics } : {}),
    ...(report.master ? { master: report.master } : {}),
  };
}

// The document with only `app` in it (and its config file); an unknown app is an error.
export function onlyApp<T extends { apps: AppJson[]; configs: ConfigJson[] }>(doc: T, app: string | undefined): T {
  if (app === undefined) return doc;
  const apps = doc.apps.filter((a) => a.name === app);
  if (apps.length === 0) throw new CliError(`unknown app "${app}"; apps: ${doc.apps.map((a) => a.name).join(', ') || 'none'}`, EXIT.UNKNOWN_APP);
  return { ...doc, apps };
}

// Prints the status; resolves with the exit code.
export async function status(opts: StatusOptions): Promise<ExitCode> {
  const res = await callMaster(opts, 'status');
  const doc = onlyApp(statusJson(res.data as StatusReport), opts.app);
  if (opts.json) {
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return EXIT.OK;
  }
  const { renderStatusTable } = await import('./status-table.js');
  const { statusNotes } = await import('./status-notes.js');
  process.stdout.write(renderStatusTable(doc.apps) + '\n');
  for (const note of statusNotes(res.data as StatusReport)) process.stdout.write(`${note}\n`);
  // A config whose last load failed: the apps keep running the last good one.
  for (const c of doc.configs.filter((x) => !x.ok)) process.stdout.write(`config ${c.file}: last load FAILED, still running the previous config:\n${c.error ?? ''}\n`);
  return EXIT.OK;
}
