// `supervisor status`: a table of apps and workers, or the stable JSON shape with --json.
import { request } from './control-client.js';
import { homePaths, resolveHome } from '../runtime/home.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import type { StatusReport } from '../master/status.js';

// Options of `supervisor status`.
export interface StatusOptions { readonly json?: boolean; readonly home?: string }

// Prints the status; resolves with the exit code.
export async function status(opts: StatusOptions): Promise<ExitCode> {
  const res = await request(homePaths(resolveHome(opts.home)).socket, 'status');
  if (!res.ok) throw new CliError(res.message ?? 'status failed', EXIT.FAILED);
  const report = res.data as StatusReport;
  if (opts.json) {
    process.stdout.write(JSON.stringify({ apps: report.apps.map((a) => ({ name: a.name, status: a.status, workers: a.workers })), configs: report.configs }, null, 2) + '\n');
    return EXIT.OK;
  }
  for (const app of report.apps) {
    process.stdout.write(`${app.name}  ${app.status}  gen ${app.generation}  ${app.instances} instance(s)\n`);
    for (const w of app.workers) process.stdout.write(`  #${w.id}  pid ${w.pid ?? '-'}  ${w.state}  gen ${w.generation}  restarts ${w.restarts}  up ${Math.round(w.uptime_ms / 1000)}s\n`);
  }
  // A config whose last load failed: the apps keep running the last good one.
  for (const c of report.configs.filter((x) => !x.ok)) process.stdout.write(`config ${c.file}: last load FAILED, still running the previous config:\n${c.error ?? ''}\n`);
  return EXIT.OK;
}
