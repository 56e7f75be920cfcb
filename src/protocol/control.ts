// The CLI <-> master control protocol: one JSON object per line over a Unix socket.
// A request gets zero or more progress lines, then exactly one final response.
import type { ErrorCode } from './codes.js';

// The control protocol version; a master refuses requests of another major version.
export const CONTROL_VERSION = 1;

// The verbs the master answers.
export type ControlVerb = 'ping' | 'status' | 'reload' | 'restart' | 'scale' | 'stop' | 'start' | 'forget' | 'metrics' | 'logs' | 'delete' | 'describe';

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
  // The error code when ok is false: one of src/protocol/codes.ts.
  readonly code?: ErrorCode;
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

// Why a request line is refused: its code, the id to answer with, and what was wrong.
export interface RequestProblem { readonly code: 'E_BAD_REQUEST' | 'E_VERSION'; readonly id: number; readonly message: string }

// Validates a parsed request line; returns the request or what is wrong with it.
export function parseRequest(raw: unknown): ControlRequest | RequestProblem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { code: 'E_BAD_REQUEST', id: 0, message: 'expected a JSON object' };
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === 'number' && Number.isSafeInteger(r.id) ? r.id : 0;
  if (typeof r.v !== 'number') return { code: 'E_BAD_REQUEST', id, message: `expected "v": ${CONTROL_VERSION} (the protocol version)` };
  if (r.v !== CONTROL_VERSION) return { code: 'E_VERSION', id, message: `unsupported protocol version ${r.v}; this master speaks ${CONTROL_VERSION}` };
  if (typeof r.id !== 'number') return { code: 'E_BAD_REQUEST', id, message: 'expected a numeric id' };
  if (typeof r.verb !== 'string') return { code: 'E_BAD_REQUEST', id, message: 'expected a verb' };
  const args = typeof r.args === 'object' && r.args !== null ? (r.args as Record<string, unknown>) : {};
  return { v: CONTROL_VERSION, id, verb: r.verb as ControlVerb, args };
}

// True when parseRequest refused the line.
export function isProblem(parsed: ControlRequest | RequestProblem): parsed is RequestProblem {
  return 'code' in parsed;
}
