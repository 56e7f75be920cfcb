// What the master tells observers (the logger, the metrics, tests): one notice per
// lifecycle transition or reload step, so logs and metrics are fed from the same events.
import type { ExitOutcome } from '../worker/lifecycle.js';
import type { StopReason, WorkerState } from '../worker/states.js';
import type { Config } from '../config/types.js';
import type { OutputFlow } from '../worker/output-pump.js';

// Identifies one worker incarnation in a notice.
export interface WorkerRef { readonly app: string; readonly slot: number; readonly generation: number; readonly pid: number | null }

// Everything an observer can be told.
export type MasterNotice =
  | { type: 'worker-spawned'; worker: WorkerRef }
  | { type: 'worker-spawn-failed'; worker: WorkerRef; error: string }
  | { type: 'worker-state'; worker: WorkerRef; from: WorkerState; to: WorkerState; reason: StopReason | null }
  | { type: 'worker-exit'; worker: WorkerRef; code: number | null; signal: string | null; outcome: ExitOutcome; uptimeMs: number; stopReason: StopReason | null }
  | { type: 'worker-killed'; worker: WorkerRef; afterMs: number }
  | { type: 'worker-ready-timeout'; worker: WorkerRef; afterMs: number }
  // `truncated`: the line was cut at max_line_length; `flow`: lets a slow sink pause the pipe.
  | { type: 'worker-output'; worker: WorkerRef; stream: 'stdout' | 'stderr'; line: string; truncated?: true; flow?: OutputFlow }
  // The worker's first line over max_line_length on a stream (later ones are only counted).
  | { type: 'worker-line-truncated'; worker: WorkerRef; stream: 'stdout' | 'stderr'; maxBytes: number }
  // The worker broke its IPC channel; it is killed and replaced through the crash policy.
  | { type: 'worker-broken'; worker: WorkerRef; reason: string }
  | { type: 'worker-restart-scheduled'; worker: WorkerRef; delayMs: number; reason: 'crash' | 'memory' | 'watch' | 'manual' }
  | { type: 'app-fatal'; app: string; reason: string }
  | { type: 'app-started'; app: string }
  | { type: 'app-stopped'; app: string }
  | { type: 'app-scaled'; app: string; from: number; to: number }
  | { type: 'reload-started'; app: string; from: number; to: number; mode: 'rolling' | 'restart'; reason: string }
  | { type: 'reload-merged'; app: string; reason: string }
  | { type: 'reload-done'; app: string; generation: number; durationMs: number }
  | { type: 'reload-aborted'; app: string; generation: number; reason: string; durationMs: number }
  | { type: 'config-loaded'; file: string; summary: string; config: Config }
  | { type: 'config-failed'; file: string; error: string }
  | { type: 'master-stopping'; reason: string }
  | { type: 'master-stopped' }
  // A worker's answer to a metrics request (src/metrics aggregates it); never logged.
  | { type: 'worker-metrics'; worker: WorkerRef; id: number; metrics: unknown; error: string | null }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// A function that receives notices.
export type Observer = (notice: MasterNotice) => void;
