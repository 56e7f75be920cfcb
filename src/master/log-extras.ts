// What PM2's log keys add to an app's log files: the timestamp of each line (log_date_format:
// "iso", "epoch" or a day.js format, compiled once per format) and the combined log
// (log_file), which gets every stdout and stderr line besides out_file and error_file.
import path from 'node:path';
import { compileDateFormat, type DateFormatter } from '../config/date-format.js';
import type { AppSpec } from '../config/types.js';

const compiled = new Map<string, DateFormatter>();
// Formats kept compiled at most (a format is one per app; this bounds a config that churns them).
const MAX_FORMATS = 64;

// The timestamp function for a log_date_format (the loader refused formats that do not compile).
export function timestampOf(format: string | undefined): DateFormatter {
  const key = format ?? 'iso';
  let f = compiled.get(key);
  if (!f) {
    const c = compileDateFormat(key);
    f = typeof c === 'function' ? c : (d: Date) => d.toISOString();
    if (compiled.size >= MAX_FORMATS) compiled.clear();
    compiled.set(key, f);
  }
  return f;
}

// Where an app's combined log goes (log_file: a path, or true for <logs>/<app>.log), or null.
export function combinedLogPath(spec: AppSpec | null, logsDir: string, app: string): string | null {
  if (!spec || spec.log_file === null) return null;
  return spec.log_file === true ? path.join(logsDir, `${app}.log`) : spec.log_file;
}
