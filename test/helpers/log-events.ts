// Reading the master's --json-logs lines (CONTRACTS.md section 1) as events, matching them by
// fields rather than by wording, and rendering them as the human lines for failure output.

// A field value in a log line.
export type FieldValue = string | number | boolean | null;

// One line of master output: `event` is the notice type ("reload-done", "worker-output", ...),
// or "text" for a line that is not a JSON object (then `message` is the line).
export interface LogEvent {
  readonly event: string;
  readonly message: string;
  readonly [field: string]: FieldValue | undefined;
}

// A test on one field's value (undefined when the line has no such field).
export type FieldTest = (value: FieldValue | undefined) => boolean;

// What to wait for: each given field must be equal (a RegExp: must match the value as text;
// a function: must return true for it).
export type EventMatch = Readonly<Record<string, FieldValue | RegExp | FieldTest>>;

// A reload that started (not an app's first start, which is a reload-started from 0).
export const RELOAD_STARTED = { event: 'reload-started', from: (v: FieldValue | undefined) => typeof v === 'number' && v > 0 } as const;

// Parses one output line; non-JSON lines become { event: "text", message: line }.
export function parseLine(line: string): LogEvent {
  if (line.startsWith('{')) {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o === 'object' && o !== null && typeof o.event === 'string') return { ...o, message: String(o.message ?? '') } as LogEvent;
    } catch {
      // not JSON after all
    }
  }
  return { event: 'text', message: line };
}

// True when every field of `match` is in `e` with that value.
export function matches(e: LogEvent, match: EventMatch): boolean {
  return Object.entries(match).every(([key, want]) => {
    const got = e[key];
    if (want instanceof RegExp) return got !== undefined && got !== null && want.test(String(got));
    if (typeof want === 'function') return want(got);
    return got === want;
  });
}

// A match as text for error messages: {event: "reload-done", app: "jobs", generation: 3}.
export function describeMatch(match: EventMatch): string {
  const show = (v: FieldValue | RegExp | FieldTest) => (v instanceof RegExp ? String(v) : typeof v === 'function' ? `(${String(v)})` : JSON.stringify(v));
  return `{${Object.entries(match).map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`;
}

// The line as the master prints it without --json-logs ("<time> [supervisor] WARN ..." or
// "app#0 | ..."), so old-style regexes and failure output read the same in both modes.
export function renderEvent(e: LogEvent): string {
  if (e.event === 'text') return e.message;
  if (e.source === 'worker') return `${String(e.app)}#${String(e.worker)} | ${e.message}${e.truncated === true ? ' [truncated]' : ''}`;
  const level = e.level === 'info' || e.level === undefined ? '' : `${String(e.level).toUpperCase()} `;
  return `${String(e.time)} [supervisor] ${level}${e.message}`;
}

// A worker line of an app log file, in either format ("<time> app#0 | line" or JSON).
export interface WorkerLine { readonly app: string; readonly worker: number; readonly message: string }

// The worker lines of an app log file's (or a master output's) text, in order; others are skipped.
export function workerLines(text: string): WorkerLine[] {
  return text.split('\n').flatMap((line): WorkerLine[] => {
    if (line.startsWith('{')) {
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        if (typeof o.stream === 'string' && typeof o.app === 'string' && typeof o.worker === 'number') return [{ app: o.app, worker: o.worker, message: String(o.message) }];
      } catch {
        // not JSON after all
      }
      return [];
    }
    const m = /^(?:\S+ )?([^#\s]+)#(\d+) \| (.*)$/.exec(line);
    return m ? [{ app: m[1]!, worker: Number(m[2]), message: m[3]! }] : [];
  });
}
