// `supervisor describe <app>`: one app in full: state, config file, spec (env variable names,
// never their values), workers with pids and restarts, the last exit and why, the log files.
import type { AppStatusReport } from '../master/status.js';
import type { DescribedSpec, LastExit } from '../master/describe.js';
import { callMaster, type MasterCallOptions } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { renderStatusTable } from './status-table.js';

// Options of `supervisor describe`.
export interface DescribeOptions extends MasterCallOptions { readonly json?: boolean }

// What the master answers to `describe`.
interface Described { app: AppStatusReport; spec: DescribedSpec; last_exit: LastExit | null; logs: { out: string; error: string; combined: string | null } }

const SPEC_ORDER: readonly (keyof DescribedSpec)[] = ['script', 'args', 'cwd', 'interpreter', 'interpreter_args', 'instances', 'exec_mode', 'env_names', 'listen', 'wait_ready', 'listen_timeout', 'kill_timeout', 'stop_signal', 'min_uptime', 'max_restarts', 'autorestart', 'max_memory_restart', 'cron_restart', 'watch'];

function value(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join(' ') : '-';
  return v === null || v === undefined ? '-' : String(v);
}

function exitText(e: LastExit | null): string {
  if (e === null) return 'none yet';
  if (e.error !== undefined) return `worker ${e.worker} (generation ${e.generation}) could not be started: ${e.error} (${e.outcome}) at ${e.at}`;
  const how = e.signal ? `signal ${e.signal}` : `code ${e.code}`;
  return `worker ${e.worker} (generation ${e.generation}) exited with ${how}: ${e.outcome}${e.reason ? ` (${e.reason})` : ''} at ${e.at}`;
}

// Prints the description; resolves with the exit code.
export async function describe(app: string, opts: DescribeOptions): Promise<ExitCode> {
  const d = (await callMaster(opts, 'describe', { app })).data as Described;
  if (opts.json) {
    process.stdout.write(JSON.stringify(d, null, 2) + '\n');
    return EXIT.OK;
  }
  const lines = [
    `app:         ${d.app.name} (${d.app.state}, generation ${d.app.generation}, ${d.app.instances} worker(s)${d.app.file_instances !== d.app.instances ? `; the file says ${d.app.file_instances}, scaled at run time` : ''})`,
    `config file: ${d.app.config_file}`,
    ...(d.app.fatal_reason ? [`fatal:       ${d.app.fatal_reason}`] : []),
    ...SPEC_ORDER.map((k) => `${`${k === 'env_names' ? 'env' : k}:`.padEnd(13)}${value(d.spec[k])}`),
    `last exit:   ${exitText(d.last_exit)}`,
    `logs:        out ${d.logs.out}`,
    `             error ${d.logs.error}`,
    ...(d.logs.combined ? [`             combined ${d.logs.combined}`] : []),
    '',
    renderStatusTable([{ name: d.app.name, status: d.app.status, instances: d.app.instances, file_instances: d.app.file_instances, workers: d.app.workers }]),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.OK;
}
