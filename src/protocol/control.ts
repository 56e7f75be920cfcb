// The CLI <-> master control protocol: one JSON object per line over a Unix socket.
// A request gets zero or more progress lines, then exactly one final response.

// The control protocol version; a master refuses requests of another major version.
export const CONTROL_VERSION = 1;

// The verbs the master answers.
export type ControlVerb = 'ping' | 'status' | 'reload' | 'restart' | 'scale' | 'stop' | 'start' | 'metrics' | 'logs';

// A request from the CLI.
export interface ControlRequest {
  readonly v: number;
  readonly id: number;
  readonly verb: ControlVerb;
  readonly args: Readonly<Record<string, unknown>>;
}

// A progress line sent while a long request runs (a rolling reload).
export interface ControlProgress { readonly v: number; readonly id: number; readonly progress: string }

// The final answer to a request.
export interface ControlResponse {
  readonly v: number;
  readonly id: number;
  readonly ok: boolean;
  // A stable error code when ok is false (E_UNKNOWN_APP, E_FAILED, E_BAD_REQUEST, E_VERSION).
  readonly code?: string;
  readonly message?: string;
  readonly data?: unknown;
}

// Either kind of line the master sends.
export type ControlReply = ControlProgress | ControlResponse;

// True for a progress line.
export function isProgress(reply: ControlReply): reply is ControlProgress {
  return 'progress' in reply;
}

// Serializes one message as a line.
export function encodeLine(message: ControlRequest | ControlReply): string {
  return JSON.stringify(message) + '\n';
}

// Validates a parsed request line; returns an error message or the request.
export function parseRequest(raw: unknown): ControlRequest | string {
  if (typeof raw !== 'object' || raw === null) return 'expected a JSON object';
  const r = raw as Record<string, unknown>;
  if (r.v !== CONTROL_VERSION) return `unsupported protocol version ${String(r.v)}; this master speaks ${CONTROL_VERSION}`;
  if (typeof r.id !== 'number') return 'expected a numeric id';
  if (typeof r.verb !== 'string') return 'expected a verb';
  const args = typeof r.args === 'object' && r.args !== null ? (r.args as Record<string, unknown>) : {};
  return { v: CONTROL_VERSION, id: r.id, verb: r.verb as ControlVerb, args };
}
