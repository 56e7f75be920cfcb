// `supervisor logs [app] [-f] [-n N]`: prints the last lines of the app's log files (or of
// every app and the master log), then follows them with -f. The master tells where the files
// are (out_file/error_file); with no master running, the home's default files are read.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { AppLogFile } from '../master/app-logs.js';
import { homePaths, resolveHome } from '../runtime/home.js';
import { callMaster } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { follow, lastLines } from './log-tail.js';

// Options of `supervisor logs`.
export interface LogsOptions { readonly home?: string; readonly follow?: boolean; readonly lines?: string }

function defaultFiles(logsDir: string, app: string | undefined): string[] {
  if (app !== undefined) return [path.join(logsDir, `${app}-out.log`), path.join(logsDir, `${app}-error.log`)];
  let names: string[];
  try {
    names = readdirSync(logsDir).filter((n) => n.endsWith('.log')).sort();
  } catch {
    names = [];
  }
  return names.map((n) => path.join(logsDir, n));
}

async function filesToRead(app: string | undefined, opts: LogsOptions): Promise<string[]> {
  const paths = homePaths(resolveHome(opts.home));
  try {
    const res = await callMaster(opts, 'logs', app === undefined ? {} : { app });
    const files = (res.data as { files: AppLogFile[] }).files.map((f) => f.path);
    return app === undefined ? [paths.masterLog, ...files] : files;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.NO_MASTER) return defaultFiles(paths.logs, app);
    throw error;
  }
}

// Prints (and with -f follows) the logs; resolves with the exit code.
export async function logs(app: string | undefined, opts: LogsOptions): Promise<ExitCode> {
  const n = opts.lines === undefined ? 20 : Number(opts.lines);
  if (!Number.isSafeInteger(n) || n < 0) throw new CliError(`logs: -n expects a whole number of lines, got "${opts.lines}"`, EXIT.USAGE);
  const files = [...new Set(await filesToRead(app, opts))];
  let current = '';
  const print = (file: string, line: string) => {
    if (files.length > 1 && file !== current) process.stdout.write(`${current ? '\n' : ''}==> ${file} <==\n`);
    current = file;
    process.stdout.write(line + '\n');
  };
  for (const f of files) for (const line of lastLines(f, n)) print(f, line);
  if (!opts.follow) return EXIT.OK;
  const stop = follow(files, print);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  stop();
  return EXIT.OK;
}
