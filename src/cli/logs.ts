// `supervisor logs [app] [-f] [-n N] [--json]`: prints the last lines of the app's log files
// (or of every app and the master), then follows them with -f. The master tells where the
// files are (out_file/error_file) and where its own lines go: its log file (a daemon), or
// the terminal of `supervisor run`, whose last lines it keeps and hands out. With no master
// running, the home's default files are read. When there is nothing to show, it says why
// and where the output goes instead of printing nothing.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { AppLogFile } from '../master/app-logs.js';
import type { MasterOutput } from '../master/master-output.js';
import { homePaths, resolveHome } from '../runtime/home.js';
import { callMaster } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { follow, lastLines } from './log-tail.js';
import { JsonLines, type LineSource } from './log-json.js';

// Options of `supervisor logs`.
export interface LogsOptions { readonly home?: string; readonly follow?: boolean; readonly lines?: string; readonly json?: boolean }

// One file to print, and what its lines are.
interface LogSource { readonly path: string; readonly from: LineSource }

// What to print: the files, the lines `run` kept, and what to say if there is nothing.
interface Plan {
  readonly files: LogSource[];
  readonly terminal: Extract<MasterOutput, { terminal: true }> | null;
  readonly noMaster: boolean;
}

const streamOf = (name: string): LineSource => {
  const m = /^(.*)-(out|error)\.log$/.exec(name);
  return m && name !== 'supervisor.log' ? { kind: 'worker', app: m[1]!, stream: m[2] === 'out' ? 'stdout' : 'stderr' } : { kind: 'master' };
};

function defaultFiles(logsDir: string, app: string | undefined): LogSource[] {
  if (app !== undefined) return ['out', 'error'].map((s) => ({ path: path.join(logsDir, `${app}-${s}.log`), from: streamOf(`${app}-${s}.log`) }));
  let names: string[];
  try {
    names = readdirSync(logsDir).filter((n) => n.endsWith('.log')).sort();
  } catch {
    names = [];
  }
  return names.map((n) => ({ path: path.join(logsDir, n), from: streamOf(n) }));
}

async function plan(app: string | undefined, opts: LogsOptions): Promise<Plan> {
  const paths = homePaths(resolveHome(opts.home));
  try {
    const res = await callMaster(opts, 'logs', app === undefined ? {} : { app });
    const data = res.data as { files: AppLogFile[]; master?: MasterOutput };
    const files: LogSource[] = data.files.map((f) => ({ path: f.path, from: { kind: 'worker', app: f.app, stream: f.stream === 'out' ? 'stdout' : 'stderr' } }));
    const master = data.master ?? { file: paths.masterLog };
    if (app !== undefined) return { files, terminal: null, noMaster: false };
    if ('file' in master) return { files: [{ path: master.file, from: { kind: 'master' } }, ...files], terminal: null, noMaster: false };
    return { files, terminal: master, noMaster: false };
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.NO_MASTER) return { files: defaultFiles(paths.logs, app), terminal: null, noMaster: true };
    throw error;
  }
}

// Why nothing was printed, and where the output goes.
function nothingToShow(p: Plan, app: string | undefined, opts: LogsOptions): string {
  const home = resolveHome(opts.home);
  if (p.noMaster) {
    return `no master is running in ${home}, and ${app === undefined ? `${homePaths(home).logs} holds no log files` : `app ${app} has no log files in ${homePaths(home).logs}`}. ` +
      '"supervisor start <config>" writes the master log and each app\'s out and error logs there; "supervisor run <config>" prints its own lines to its terminal and writes the app logs there.';
  }
  const where = p.files.filter((f) => f.from.kind === 'worker').map((f) => f.path);
  const apps = where.length ? `No worker has printed anything yet; their output goes to ${where.join(', ')}.` : 'The master runs no app.';
  return `no log lines yet. ${apps}${p.terminal ? ` The master is "supervisor run" (pid ${p.terminal.pid}): its own lines go to its terminal.` : ''}`;
}

// Prints (and with -f follows) the logs; resolves with the exit code.
export async function logs(app: string | undefined, opts: LogsOptions): Promise<ExitCode> {
  const n = opts.lines === undefined ? 20 : Number(opts.lines);
  if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`logs: -n expects a whole number of lines, got "${opts.lines}"`, EXIT.USAGE);
  // A reader that has seen enough (`| head`, `| grep -q`) closes the pipe: that is not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.OK);
    throw error;
  });
  const p = await plan(app, opts);
  const seen = new Set<string>();
  const files = p.files.filter((f) => !seen.has(f.path) && seen.add(f.path));
  const sections = files.length + (p.terminal ? 1 : 0);
  let current = '';
  let printed = 0;
  const header = (title: string) => {
    if (opts.json || sections < 2 || title === current) return;
    process.stdout.write(`${current ? '\n' : ''}==> ${title} <==\n`);
    current = title;
  };
  const out = (lines: string[]) => {
    for (const line of lines) process.stdout.write(line + '\n');
    printed += lines.length;
  };
  const print = (title: string, from: LineSource, lines: readonly string[], converter = new JsonLines(from)) => {
    if (lines.length === 0) return;
    header(title);
    if (!opts.json) return out([...lines]);
    out(lines.flatMap((l) => converter.push(l)));
    out(converter.end());
  };
  if (p.terminal) {
    const title = `supervisor run (pid ${p.terminal.pid}): its own last lines; they go to its terminal`;
    print(title, { kind: 'master' }, n === 0 ? [] : p.terminal.recent.slice(-n));
  }
  for (const f of files) print(f.path, f.from, lastLines(f.path, n));
  if (printed === 0 && n > 0) process.stderr.write(`supervisor: ${nothingToShow(p, app, opts)}\n`);
  if (!opts.follow) return p.noMaster && files.length === 0 ? EXIT.NO_MASTER : EXIT.OK;
  if (p.terminal) process.stderr.write(`supervisor: following the app log files; the master's own lines go to the terminal of "supervisor run" (pid ${p.terminal.pid})\n`);
  const live = new Map(files.map((f) => [f.path, { from: f.from, converter: new JsonLines(f.from, true) }]));
  const stop = follow(files.map((f) => f.path), (file, line) => {
    const source = live.get(file)!;
    header(file);
    out(opts.json ? source.converter.push(line) : [line]);
  });
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  stop();
  return EXIT.OK;
}
