// The one message a freshly spawned daemon master sends its launcher over IPC: ready, or
// why it could not start. The launcher exits 0 only after "ready".
import type { ErrorCode } from './codes.js';

// The hidden CLI verb the launcher re-spawns itself with; /proc cmdline checks look for it.
export const DAEMON_VERB = 'master-daemon';

// Set by the launcher for the daemon; stripped from worker envs like every SUPERVISOR_INTERNAL_*.
export const ENV_DAEMON = 'SUPERVISOR_INTERNAL_DAEMON';

// Why a daemon did not start: a bad config (usage), another master already running, or
// anything else (a worker crashed at boot, a port in use).
export type DaemonFailure = 'config' | 'running' | 'failed';

// The daemon's reports to its launcher: progress lines of the first start, then ready or failed.
export type DaemonReport =
  | { readonly type: 'supervisor:daemon-progress'; readonly line: string }
  | { readonly type: 'supervisor:daemon-ready'; readonly pid: number; readonly message: string }
  | { readonly type: 'supervisor:daemon-failed'; readonly pid: number; readonly kind: DaemonFailure; readonly message: string; readonly code?: ErrorCode };

// True for a daemon report (anything else on the channel is ignored).
export function isDaemonReport(raw: unknown): raw is DaemonReport {
  const t = (raw as { type?: unknown } | null)?.type;
  return t === 'supervisor:daemon-ready' || t === 'supervisor:daemon-failed' || (t === 'supervisor:daemon-progress' && typeof (raw as { line?: unknown }).line === 'string');
}
