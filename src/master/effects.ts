// The thin interface between the master's logic and the world: clock, timers, processes.
// Tests inject fakes (as Supervisor's DummyOptions); production uses real ones.
import type { AppSpec } from '../config/types.js';
import type { MasterToWorker } from '../protocol/ipc.js';
import type { OutputFlow } from '../worker/output-pump.js';
import type { ListenReport } from '../cluster/worker-port.js';

// A running worker process, as the master sees it.
export interface WorkerHandle {
  readonly pid: number | null;
  // Sends an IPC message; a no-op for workers without IPC.
  send(message: MasterToWorker | string): void;
  // Sends a signal to the worker (or its group when kill_group is set).
  signal(signal: NodeJS.Signals): void;
}

// What a worker process reports back; each call becomes one event in the master's queue.
export interface WorkerCallbacks {
  message(raw: unknown): void;
  readyFd(): void;
  // `error`: the process could not be started at all (EMFILE, ENOENT, a NUL in its env, ...).
  exit(code: number | null, signal: string | null, error?: string): void;
  output(stream: 'stdout' | 'stderr', line: string, meta?: OutputMeta): void;
  // The worker broke its channel (a message over the cap, malformed, an unknown version);
  // it is being killed, and its exit goes through the crash policy.
  broken?: (reason: string) => void;
  // A cluster-mode worker's listen request was served or refused (src/cluster/worker-port.ts).
  listen?: (report: ListenReport) => void;
}

// More about one output line: cut at max_line_length (`first`: the first such line of its
// stream), and the flow of the pipe it came from.
export interface OutputMeta { readonly truncated?: boolean; readonly first?: boolean; readonly flow?: OutputFlow }

// Where and as what a worker starts.
export interface SpawnRequest {
  readonly spec: AppSpec;
  readonly slot: number;
  readonly generation: number;
}

// The effects the master needs.
export interface MasterEffects {
  now(): number;
  setTimer(ms: number, fire: () => void): () => void;
  spawn(request: SpawnRequest, callbacks: WorkerCallbacks): WorkerHandle;
}
