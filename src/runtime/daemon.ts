// The daemon master's body: the classic daemon steps that follow setsid (done by the
// launcher's detached spawn): resolve paths, chdir("/"), umask, pidfile; then boot the same
// master as `supervisor run` and report readiness (or the startup error) to the launcher.
import { loadConfigIsolated } from '../config/load-isolated.js';
import type { ErrorCode } from '../protocol/codes.js';
import { bootMaster, type BootedMaster, type BootOptions, type LogSink } from '../master/boot.js';
import type { Config } from '../config/types.js';
import { formatNotice } from '../master/log-lines.js';
import type { DaemonFailure, DaemonReport } from '../protocol/daemon.js';
import { ensureHome, type HomePaths } from './home.js';
import { openLogFile, writeQuietly } from './log-file.js';
import { acquirePidfile, MasterRunningError, releasePidfile } from './pidfile.js';

// Options the launcher passes on the daemon's command line.
export interface DaemonOptions {
  readonly config: string;
  readonly home: string;
  readonly umask: number;
  readonly jsonLogs: boolean;
  readonly env: string | null;
  readonly insecureConfig: boolean;
  readonly watchConfig: boolean | null;
}

function report(message: DaemonReport): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => {
      if (process.connected) process.disconnect();
      resolve();
    });
  });
}

// A daemon's master log: the sink the master writes to and a logger for the daemon's own lines.
export function openDaemonLog(masterLogFile: string, jsonLogs: boolean): { sink: LogSink; log: (level: 'info' | 'warn' | 'error', message: string) => void; close: () => Promise<void> } {
  // fds 1 and 2 are the master log file too (for a crash's last words). When its disk is full
  // a write there fails; that must not become an uncaught 'error' event that kills the master.
  for (const stdio of [process.stdout, process.stderr]) stdio.on('error', () => undefined);
  const masterLog = openLogFile(masterLogFile, (m) => writeQuietly(2, m + '\n'), { noFollow: true });
  const sink: LogSink = { write: (_stream, text) => masterLog.write(text), reopen: () => masterLog.reopen() };
  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    const line = formatNotice({ type: 'log', level, message }, jsonLogs);
    if (line) sink.write(line.stream, line.text);
  };
  return { sink, log, close: () => masterLog.close() };
}

// What every daemon master boots with (the first one and one started by `supervisor upgrade`).
export function daemonBootOptions(opts: DaemonOptions, paths: HomePaths, sink: LogSink, configFile: string, preloaded: Config, env: string | null): BootOptions {
  return {
    configFile, preloaded, home: paths, jsonLogs: opts.jsonLogs, sink, masterLogFile: paths.masterLog, daemonUmask: opts.umask,
    echoWorkerOutput: false, env, insecureConfig: opts.insecureConfig, watchConfig: opts.watchConfig,
  };
}

// Runs the daemon until it is stopped; resolves with its exit code.
export async function runDaemon(opts: DaemonOptions): Promise<number> {
  const paths = ensureHome(opts.home);
  const { sink, log, close: closeLog } = openDaemonLog(paths.masterLog, opts.jsonLogs);
  const fail = async (kind: DaemonFailure, message: string, exitCode: number, code?: ErrorCode) => {
    log('error', `daemon did not start: ${message}`);
    await report({ type: 'supervisor:daemon-failed', pid: process.pid, kind, message, ...(code ? { code } : {}) });
    await closeLog();
    return exitCode;
  };
  // Read once, in the loader child (in the file's folder), before anything is changed; the
  // master boots with it instead of reading it again.
  const loaded = await loadConfigIsolated(opts.config, { env: opts.env, insecure: opts.insecureConfig });
  if (!loaded.ok) return fail('config', loaded.error.message, 2, 'E_CONFIG');
  process.chdir('/');
  process.umask(opts.umask);
  try {
    const takeover = acquirePidfile(paths.pidfile);
    if (takeover) log('warn', takeover);
  } catch (error) {
    return fail(error instanceof MasterRunningError ? 'running' : 'failed', (error as Error).message, 1);
  }
  log('info', `daemon master pid ${process.pid} starting, home ${paths.dir}, umask ${opts.umask.toString(8).padStart(3, '0')}`);
  let booted: BootedMaster;
  try {
    booted = await bootMaster({
      ...daemonBootOptions(opts, paths, sink, opts.config, loaded.config, opts.env),
      // The launcher prints the first start's progress (each crash, each worker ready).
      progress: (line) => {
        if (process.send && process.connected) process.send({ type: 'supervisor:daemon-progress', line } satisfies DaemonReport);
      },
    });
  } catch (error) {
    releasePidfile(paths.pidfile);
    return fail('failed', (error as Error).message, 1);
  }
  if (booted.started.ok) await report({ type: 'supervisor:daemon-ready', pid: process.pid, message: booted.started.message });
  await booted.done;
  releasePidfile(paths.pidfile);
  if (!booted.started.ok) return fail(booted.started.code === 'E_CONFIG' ? 'config' : 'failed', booted.started.message, booted.started.code === 'E_CONFIG' ? 2 : 1, booted.started.code);
  log('info', `daemon master pid ${process.pid} exiting`);
  await closeLog();
  return 0;
}
