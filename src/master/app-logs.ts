// Per-app log files: each worker's stdout and stderr lines go to the app's out_file and
// error_file (default <home>/logs/<app>-out.log and <app>-error.log), each line stamped with
// the time and the worker id. A slow file pauses the workers' pipes; a stalled or failing one
// drops lines, counts them and says so in the file (see runtime/log-file.ts). Files rotate
// by size with max_log_size. Also answers the `logs` control verb with the file paths.
import path from 'node:path';
import { openLogFile, type LogFile } from '../runtime/log-file.js';
import { combinedLogPath, timestampOf } from './log-extras.js';
import { TRUNCATED_MARK } from '../worker/line-splitter.js';
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

// The ISO time of the last line, reused while the clock shows the same millisecond (a chatty
// worker writes many lines per millisecond); other formats come from log_date_format.
let lastIso = { ms: 0, text: '' };
const timeText = (format: string | undefined, now: Date) => {
  if (format !== undefined && format !== 'iso') return timestampOf(format)(now);
  const ms = now.getTime();
  if (lastIso.ms !== ms) lastIso = { ms, text: now.toISOString() };
  return lastIso.text;
};

// Formats one worker line: "<time> <app>#<id> | <line>", or a JSON object with jsonLogs.
export function formatWorkerLine(n: Extract<MasterNotice, { type: 'worker-output' }>, dateFormat: string | undefined, json: boolean, now = new Date()): string {
  const time = timeText(dateFormat, now);
  if (json) {
    const fields = { time, source: 'worker', event: 'worker-output', app: n.worker.app, worker: n.worker.slot, generation: n.worker.generation, pid: n.worker.pid, stream: n.stream, message: n.line };
    return JSON.stringify(n.truncated ? { ...fields, truncated: true } : fields);
  }
  return `${time} ${n.worker.app}#${n.worker.slot} | ${n.line}${n.truncated ? TRUNCATED_MARK : ''}`;
}

// The line a log file gets where it dropped lines.
export function formatDroppedLine(dropped: number, why: string, dateFormat: string | undefined, json: boolean, now = new Date()): string {
  const message = `${dropped} line(s) dropped here: ${why}`;
  const time = timeText(dateFormat, now);
  if (json) return JSON.stringify({ time, level: 'warn', source: 'supervisor', event: 'log-lines-dropped', dropped, message });
  return `${time} [supervisor] WARN ${message}`;
}

// Options of attachAppLogs: the format, where problems go, and the dropped-lines counter.
export interface AppLogsOptions {
  readonly json: boolean;
  readonly warn: (message: string) => void;
  readonly dropped?: (app: string, stream: 'stdout' | 'stderr', count: number) => void;
}

// Starts writing `master`'s worker output to files under `logsDir`; `warn` logs a problem once.
export function attachAppLogs(master: Master, logsDir: string, opts: AppLogsOptions): AppLogs {
  const files = new Map<string, LogFile>();
  const fileAt = (p: string, app: string, stream: 'stdout' | 'stderr', dateFormat: string | undefined) => {
    let f = files.get(p);
    if (!f) {
      // A file shared by several apps counts its dropped lines for the app that opened it.
      f = openLogFile(p, opts.warn, {
        marker: (dropped, why) => formatDroppedLine(dropped, why, dateFormat, opts.json),
        onDropped: (count) => opts.dropped?.(app, stream, count),
        noFollow: path.dirname(p) === logsDir, // the home's own files: a link there was planted
      });
      files.set(p, f);
    }
    return f;
  };
  // Per app and stream: the files of the app's current spec (looked up again when the spec
  // changes): out_file or error_file, and the combined log_file if there is one.
  const routes = new Map<string, { spec: ReturnType<Master['specOf']>; file: LogFile; combined: LogFile | null; format: string | undefined }>();
  const routeOf = (app: string, stream: 'stdout' | 'stderr') => {
    const spec = master.specOf(app);
    const key = `${stream}:${app}`;
    let route = routes.get(key);
    if (route?.spec !== spec) {
      const format = spec?.log_date_format;
      const combinedPath = combinedLogPath(spec, logsDir, app);
      route = {
        spec,
        format,
        file: fileAt(appLogPath(master, logsDir, app, stream), app, stream, format),
        combined: combinedPath === null ? null : fileAt(combinedPath, app, stream, format),
      };
      if (spec) for (const f of [route.file, route.combined]) f?.rotateAt(spec.max_log_size, spec.max_log_files);
      routes.set(key, route);
    }
    return route;
  };
  const unsubscribe = master.observe((n) => {
    if (n.type !== 'worker-output') return;
    const route = routeOf(n.worker.app, n.stream);
    const line = formatWorkerLine(n, route.format, opts.json);
    route.file.write(line, n.flow);
    route.combined?.write(line, n.flow);
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
