// Turns master notices into readable log lines (or JSON objects with --json-logs).
import type { MasterNotice, WorkerRef } from './notices.js';
import { TRUNCATED_MARK } from '../worker/line-splitter.js';

// One line to write, and to which stream.
export interface LogLine { readonly stream: 'stdout' | 'stderr'; readonly text: string; readonly fields: Record<string, unknown> }

const who = (w: WorkerRef) => `${w.app}#${w.slot} gen ${w.generation}${w.pid === null ? '' : ` pid ${w.pid}`}`;

function exitText(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}

// The message for a notice, or null for notices that are not logged.
export function describeNotice(n: MasterNotice): { level: 'info' | 'warn' | 'error'; message: string } | null {
  switch (n.type) {
    case 'worker-spawned': return { level: 'info', message: `${who(n.worker)}: started` };
    case 'worker-spawn-failed': return { level: 'error', message: `${who(n.worker)}: could not start: ${n.error}` };
    case 'worker-state':
      if (n.to === 'done') return { level: 'info', message: `${who(n.worker)}: stays down until the app is reloaded, restarted or started (a stop_exit_codes exit, or autorestart false)` };
      return n.to === 'exited' || n.to === 'backoff' || n.to === 'fatal' ? null : { level: 'info', message: `${who(n.worker)}: ${n.from} -> ${n.to}${n.reason && n.to !== 'ready' ? ` (${n.reason})` : ''}` };
    case 'worker-exit': {
      const how = n.error !== undefined ? 'could not be started' : `exited with ${exitText(n.code, n.signal)} after ${n.uptimeMs} ms`;
      if (n.outcome === 'crash') return { level: 'warn', message: `${who(n.worker)}: crashed: ${how}` };
      return { level: 'info', message: `${who(n.worker)}: ${how}${n.stopReason ? ` (${n.stopReason})` : ''}` };
    }
    case 'worker-killed': return { level: 'warn', message: `${who(n.worker)}: still running ${n.afterMs} ms after finish-and-exit (kill_timeout): sent SIGKILL` };
    case 'worker-line-truncated': return { level: 'warn', message: `${who(n.worker)}: a ${n.stream} line longer than ${n.maxBytes} bytes was cut (max_line_length); later ones are counted in supervisor_log_lines_truncated_total` };
    case 'worker-ready-timeout': return { level: 'warn', message: `${who(n.worker)}: not ready within ${n.afterMs} ms (listen_timeout)` };
    case 'worker-broken': return { level: 'error', message: `${who(n.worker)}: broken, killing it: ${n.reason}` };
    case 'worker-listen': return n.outcome === 'failed'
      ? { level: 'warn', message: `${who(n.worker)}: listen on ${n.address} failed: ${n.error ?? 'unknown error'}` }
      : { level: 'info', message: `${who(n.worker)}: listening on ${n.address}${n.port !== null && n.address.endsWith(':0') ? ` (port ${n.port})` : ''} (${n.outcome === 'bound' ? 'bound by the master' : 'the socket the master holds'}; cluster mode)` };
    case 'worker-restart-scheduled': return { level: 'info', message: `${who(n.worker)}: ${n.reason === 'crash' ? `restarting in ${n.delayMs} ms` : `replacing (${n.reason})`}` };
    case 'worker-output': return null;
    case 'worker-metrics': return null;
    case 'app-fatal': return { level: 'error', message: `app ${n.app} is fatal and stays down: ${n.reason}` };
    case 'app-started': return { level: 'info', message: `app ${n.app}: all workers ready` };
    case 'app-stopped': return { level: 'info', message: `app ${n.app}: stopped` };
    case 'app-scaled': return { level: 'info', message: `app ${n.app}: scaled from ${n.from} to ${n.to} workers` };
    case 'reload-started': return n.from === 0 ? { level: 'info', message: `app ${n.app}: starting` } : { level: 'info', message: `app ${n.app}: ${n.mode === 'restart' ? 'restart' : 'rolling reload'} gen ${n.from} -> ${n.to} (${n.reason})` };
    case 'reload-merged': return { level: 'info', message: `app ${n.app}: reload requested during a reload; merged into one follow-up (${n.reason})` };
    case 'reload-done': return { level: 'info', message: `app ${n.app}: reload to gen ${n.generation} done in ${n.durationMs} ms` };
    case 'reload-aborted': return { level: 'error', message: `app ${n.app}: reload to gen ${n.generation} aborted after ${n.durationMs} ms: ${n.reason}` };
    case 'load-merged': return { level: 'info', message: `config ${n.file}: read requested while another was pending; merged into one read` };
    case 'config-loaded': return { level: 'info', message: `config ${n.file}: ${n.summary}` };
    case 'config-forgotten': return { level: 'info', message: `config ${n.file}: forgotten; its apps stop` };
    case 'config-failed': return { level: 'error', message: `config rejected, nothing changed:\n${n.error}` };
    case 'master-stopping': return { level: 'info', message: `stopping all apps (${n.reason})` };
    case 'master-stopped': return { level: 'info', message: 'all apps stopped' };
    case 'log': return { level: n.level, message: n.message };
  }
}

// Keys of a JSON log line that come from the line itself, never from a notice's fields.
const RESERVED = new Set(['type', 'time', 'level', 'source', 'event', 'message', 'line']);

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

// The machine fields of a notice (CONTRACTS.md section 1): every scalar key it carries (app,
// generation, pid, request, code, file, outcome, reason, durationMs, ...), with its `worker`
// ref flattened into app/worker (the slot)/generation/pid. A new notice type gets them for free.
export function noticeFields(n: MasterNotice): Record<string, Scalar> {
  const fields: Record<string, Scalar> = {};
  for (const [key, value] of Object.entries(n)) {
    if (key === 'worker' && typeof value === 'object' && value !== null) {
      const w = value as Partial<WorkerRef>;
      Object.assign(fields, { app: w.app ?? null, worker: w.slot ?? null, generation: w.generation ?? null, pid: w.pid ?? null });
    } else if (!RESERVED.has(key) && isScalar(value)) fields[key] = value;
  }
  return fields;
}

// Formats one notice as a log line, or null when it is not logged.
export function formatNotice(n: MasterNotice, json: boolean, now = new Date()): LogLine | null {
  if (n.type === 'worker-output') {
    const fields = { time: now.toISOString(), source: 'worker', event: n.type, ...noticeFields(n), message: n.line };
    return { stream: n.stream, fields, text: json ? JSON.stringify(fields) : `${n.worker.app}#${n.worker.slot} | ${n.line}${n.truncated ? TRUNCATED_MARK : ''}` };
  }
  const d = describeNotice(n);
  if (!d) return null;
  const fields = { time: now.toISOString(), level: d.level, source: 'supervisor', event: n.type, message: d.message, ...noticeFields(n) };
  return { stream: d.level === 'info' ? 'stdout' : 'stderr', fields, text: json ? JSON.stringify(fields) : `${fields.time} [supervisor] ${d.level === 'info' ? '' : `${d.level.toUpperCase()} `}${d.message}` };
}
