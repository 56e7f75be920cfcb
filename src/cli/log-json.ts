// `supervisor logs --json`: every line as one JSON object with the fields of --json-logs,
// whatever format the file was written in. A line that is JSON already (a master started
// with --json-logs) keeps its fields; a human line is parsed back: a worker line
// "<time> <app>#<id> | <text>", a master line "<time> [supervisor] [WARN |ERROR ]<text>".
// Continuation lines of a multi-line master message join the message they belong to.

// Where lines come from: an app's out or error file, or the master's own log.
export type LineSource = { readonly kind: 'worker'; readonly app: string | null; readonly stream: 'stdout' | 'stderr' } | { readonly kind: 'master' };

type Fields = Record<string, unknown>;

const WORKER_LINE = /^(\S+) ([A-Za-z0-9._-]+)#(\d+) \| (.*)$/s;
const MASTER_LINE = /^(\S+) \[supervisor\] (?:(WARN|ERROR) )?(.*)$/s;

function parsed(line: string): Fields | null {
  if (!line.startsWith('{')) return null;
  try {
    const o: unknown = JSON.parse(line);
    return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Fields) : null;
  } catch {
    return null;
  }
}

function workerFields(line: string, from: Extract<LineSource, { kind: 'worker' }>): Fields {
  const json = parsed(line);
  if (json) return { source: 'worker', event: 'worker-output', stream: from.stream, ...json };
  const m = WORKER_LINE.exec(line);
  if (!m) return { time: null, source: 'worker', event: 'worker-output', app: from.app, worker: null, generation: null, pid: null, stream: from.stream, message: line };
  return { time: m[1], source: 'worker', event: 'worker-output', app: m[2], worker: Number(m[3]), generation: null, pid: null, stream: from.stream, message: m[4] };
}

// Turns the lines of one source into JSON lines. `push` returns what is complete so far;
// `end` returns the rest. `immediate` (for -f) emits every line at once, without joining.
export class JsonLines {
  private pending: Fields | null = null;

  constructor(private readonly from: LineSource, private readonly immediate = false) {}

  push(line: string): string[] {
    if (this.from.kind === 'worker') return [JSON.stringify(workerFields(line, this.from))];
    const json = parsed(line);
    if (json) return [...this.end(), JSON.stringify({ source: 'supervisor', event: 'log', ...json })];
    const m = MASTER_LINE.exec(line);
    if (!m && this.pending && !this.immediate) {
      this.pending.message = `${String(this.pending.message)}\n${line}`;
      return [];
    }
    const next: Fields = m
      ? { time: m[1], level: m[2] === 'WARN' ? 'warn' : m[2] === 'ERROR' ? 'error' : 'info', source: 'supervisor', event: 'log', message: m[3] }
      : { time: null, level: 'info', source: 'supervisor', event: 'log', message: line };
    const done = this.end();
    if (this.immediate) return [...done, JSON.stringify(next)];
    this.pending = next;
    return done;
  }

  end(): string[] {
    const done = this.pending ? [JSON.stringify(this.pending)] : [];
    this.pending = null;
    return done;
  }
}
