// What the master tells observers (the logger, the metrics, tests): one notice per
// lifecycle transition or reload step, so logs and metrics are fed from the same events.
// `request` is the id of the request that caused the notice (see core.ts, notify).
import type { ExitOutcome } from '../worker/lifecycle.js';
import type { StopReason, WorkerState } from '../worker/states.js';
import type { Config } from '../config/types.js';
import type { ErrorCode } from '../protocol/codes.js';
import type { OutputFlow } from '../worker/output-pump.js';

// Identifies one worker incarnation in a notice.
export interface WorkerRef { readonly app: string; readonly slot: number; readonly generation: number; readonly pid: number | null }

type Caused = { request?: number };

// Everything an observer can be told.
export type MasterNotice =
  | ({ type: 'worker-spawned'; worker: WorkerRef } & Caused)
  | ({ type: 'worker-spawn-failed'; worker: WorkerRef; error: string } & Caused)
  | ({ type: 'worker-state'; worker: WorkerRef; from: WorkerState; to: WorkerState; reason: StopReason | null } & Caused)
  | ({ type: 'worker-exit'; worker: WorkerRef; code: number | null; signal: string | null; outcome: ExitOutcome; uptimeMs: number; stopReason: StopReason | null; error?: string } & Caused)
  | ({ type: 'worker-killed'; worker: WorkerRef; afterMs: number } & Caused)
  | ({ type: 'worker-ready-timeout'; worker: WorkerRef; afterMs: number } & Caused)
  // The worker's channel or stream broke (malformed IPC, an output line over its cap): it is killed.
  | ({ type: 'worker-broken'; worker: WorkerRef; reason: string } & Caused)
  // A cluster-mode worker's listen(): served with a socket the master bound for it or already held, or refused.
  | ({ type: 'worker-listen'; worker: WorkerRef; address: string; outcome: 'bound' | 'shared' | 'failed'; port: number | null; error?: string } & Caused)
  // `truncated`: the line was cut at max_line_length; `flow`: lets a slow sink pause the pipe.
  | { type: 'worker-output'; worker: WorkerRef; stream: 'stdout' | 'stderr'; line: string; truncated?: true; flow?: OutputFlow }
  // The worker's first line over max_line_length on a stream (later ones are only counted).
  | ({ type: 'worker-line-truncated'; worker: WorkerRef; stream: 'stdout' | 'stderr'; maxBytes: number } & Caused)
  | ({ type: 'worker-restart-scheduled'; worker: WorkerRef; delayMs: number; reason: 'crash' | 'memory' | 'watch' | 'manual' } & Caused)
  | ({ type: 'app-fatal'; app: string; reason: string } & Caused)
  | ({ type: 'app-started'; app: string } & Caused)
  | ({ type: 'app-stopped'; app: string } & Caused)
  | ({ type: 'app-scaled'; app: string; from: number; to: number } & Caused)
  | ({ type: 'reload-started'; app: string; from: number; to: number; mode: 'rolling' | 'restart'; reason: string } & Caused)
  // A reload asked for during another merged into the one follow-up (the request `into` began it).
  | ({ type: 'reload-merged'; app: string; reason: string; into?: number } & Caused)
  | ({ type: 'reload-done'; app: string; generation: number; durationMs: number } & Caused)
  | ({ type: 'reload-aborted'; app: string; generation: number; reason: string; durationMs: number } & Caused)
  // A request to read a file merged into the next read of it, which the request `into` asked for.
  | ({ type: 'load-merged'; file: string; into: number } & Caused)
  // A config file was read, validated and applied (only then is it "loaded").
  | ({ type: 'config-loaded'; file: string; summary: string; config: Config } & Caused)
  // A read or apply failed; nothing changed. `registered`: the file was applied before.
  | ({ type: 'config-failed'; file: string; error: string; code: ErrorCode; registered: boolean } & Caused)
  | ({ type: 'config-forgotten'; file: string } & Caused)
  | { type: 'master-stopping'; reason: string }
  | { type: 'master-stopped' }
  // A worker's answer to a metrics request (src/metrics aggregates it); never logged.
  | { type: 'worker-metrics'; worker: WorkerRef; id: number; metrics: unknown; error: string | null }
  | ({ type: 'log'; level: 'info' | 'warn' | 'error'; message: string } & Caused);

// A function that receives notices.
export type Observer = (notice: MasterNotice) => void;
