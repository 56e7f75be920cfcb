// The CLI <-> master control protocol: one JSON object per line over a Unix socket.
// A request gets zero or more progress lines, then exactly one final response.
import type { ErrorCode } from './codes.js';

// The control protocol version; a master refuses requests of another major version.
export const CONTROL_VERSION = 1;

// The verbs the master answers.
export type ControlVerb = 'ping' | 'status' | 'reload' | 'restart' | 'scale' | 'stop' | 'start' | 'forget' | 'metrics' | 'logs' | 'delete' | 'describe' | 'upgrade';

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
