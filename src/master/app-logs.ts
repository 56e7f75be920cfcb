// Per-app log files: each worker's stdout and stderr lines go to the app's out_file and
// error_file (default <home>/logs/<app>-out.log and <app>-error.log), each line stamped with
// the time and the worker id. Also answers the `logs` control verb with the file paths.
import path from 'node:path';
import { openLogFile, type LogFile } from '../runtime/log-file.js';
import { combinedLogPath, timestampOf } from './log-extras.js';
import type { ControlHandler } from './control-server.js';
import type { Master } from './master.js';
import type { MasterNotice } from './notices.js';

// One log file of one app, as the `logs` verb reports it.
export interface AppLogFile { readonly app: string; readonly stream: 'out' | 'error'; readonly path: string }

// The attachment: write lines, reopen on SIGUSR1, close at the end.
export interface AppLogs {
  readonly handlers: Partial<Record<string, ControlHandler>>;
  reopen(): void;
  stop(): Promise<void>;
}

// Where an app's stdout or stderr lines go.
export function appLogPath(master: Master, logsDir: string, app: string, stream: 'stdout' | 'stderr'): string {
  const spec = master.specOf(app);
  const custom = stream === 'stdout' ? spec?.out_file : spec?.error_file;
  return custom ?? path.join(logsDir, `${app}-${stream === 'stdout' ? 'out' : 'error'}.log`);
}

// Formats one worker line: "<time> <app>#<id> | <line>", or a JSON object with jsonLogs.
export function formatWorkerLine(n: Extract<MasterNotice, { type: 'worker-output' }>, dateFormat: string | undefined, json: boolean, now = new Date()): string {
  const time = timestampOf(dateFormat)(now);
  if (json) return JSON.stringify({ time, app: n.worker.app, worker: n.worker.slot, generation: n.worker.generation, pid: n.worker.pid, stream: n.stream, message: n.line });
  return `${time} ${n.worker.app}#${n.worker.slot} | ${n.line}`;
}

// Starts writing `master`'s worker output to files under `logsDir`; `warn` logs a problem once.
export function attachAppLogs(master: Master, logsDir: string, opts: { json: boolean; warn: (message: string) => void }): AppLogs {
  const files = new Map<string, LogFile>();
  const fileAt = (p: string) => {
    let f = files.get(p);
    if (!f) {
      f = openLogFile(p, opts.warn);
      files.set(p, f);
    }
    return f;
  };
  const unsubscribe = master.observe((n) => {
    if (n.type !== 'worker-output') return;
    const spec = master.specOf(n.worker.app);
    const line = formatWorkerLine(n, spec?.log_date_format, opts.json);
    fileAt(appLogPath(master, logsDir, n.worker.app, n.stream)).write(line);
    const combined = combinedLogPath(spec, logsDir, n.worker.app);
    if (combined !== null) fileAt(combined).write(line);
  });
  const logs: ControlHandler = async (req) => {
    const app = typeof req.args.app === 'string' && req.args.app !== '' ? req.args.app : null;
    const names = master.appNames();
    if (app !== null && !names.includes(app)) return { ok: false, code: 'E_UNKNOWN_APP', message: `unknown app "${app}"` };
    const list: AppLogFile[] = (app === null ? names : [app]).flatMap((a) => [
      { app: a, stream: 'out' as const, path: appLogPath(master, logsDir, a, 'stdout') },
      { app: a, stream: 'error' as const, path: appLogPath(master, logsDir, a, 'stderr') },
    ]);
    return { ok: true, data: { files: list } };
  };
  return {
    handlers: { logs },
    reopen: () => {
      for (const f of files.values()) f.reopen();
    },
    stop: async () => {
      unsubscribe();
      await Promise.all([...files.values()].map((f) => f.close()));
    },
  };
}
