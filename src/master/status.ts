// A snapshot of the master for `supervisor status`: the stable shape of `status --json`.
import type { AppState } from './app-states.js';
import { registeredFiles } from './config-files.js';
import type { MasterCore } from './core.js';
import type { MetricsStatus } from '../metrics/attach.js';

// One worker in a status snapshot.
export interface WorkerStatus {
  readonly id: number;
  readonly pid: number | null;
  readonly state: string;
  readonly generation: number;
  readonly restarts: number;
  readonly uptime_ms: number;
  cpu: number | null;
  memory: number | null;
}

// What `status` has always said about an app (the CLI's stable shape).
export type AppStatusWord = 'running' | 'reloading' | 'stopping' | 'stopped' | 'fatal';

const STATUS_WORD: Record<AppState, AppStatusWord> = {
  loading: 'reloading', starting: 'reloading', running: 'running', rolling: 'reloading', scaling: 'running', stopping: 'stopping', stopped: 'stopped', fatal: 'fatal',
};

// One app in a status snapshot.
export interface AppStatusReport {
  readonly name: string;
  readonly status: AppStatusWord;
  // The app machine's own state (finer than `status`).
  readonly state: AppState;
  readonly generation: number;
  readonly instances: number;
  // The count in the config file; differs from `instances` after `supervisor scale`.
  readonly file_instances: number;
  readonly config_file: string;
  readonly fatal_reason: string | null;
  readonly workers: WorkerStatus[];
}

// One registered config file in a status snapshot: whether its last load worked, and why not.
export interface ConfigStatusReport { readonly file: string; readonly ok: boolean; readonly error: string | null; readonly loaded_at: string }

// The whole snapshot.
export interface StatusReport {
  readonly pid: number;
  readonly apps: AppStatusReport[];
  readonly configs: ConfigStatusReport[];
  // Added by the control socket's status verb (boot knows the endpoint).
  readonly metrics?: MetricsStatus;
  // Added by the status verb too: the version this master runs and the one installed now.
  readonly master?: MasterVersions;
}

// The running master's version and the installed package's (they differ until `supervisor upgrade`).
export interface MasterVersions { readonly pid: number; readonly version: string; readonly installed: string }

// Builds the snapshot from the master's current state.
export function statusOf(core: MasterCore): StatusReport {
  const now = core.effects.now();
  const apps = [...core.apps.values()].map((app): AppStatusReport => ({
    name: app.name,
    status: STATUS_WORD[app.state],
    state: app.state,
    generation: app.generation,
    instances: app.instances,
    file_instances: app.specs.get(app.generation)?.instances ?? app.instances,
    config_file: app.configFile,
    fatal_reason: app.fatalReason,
    workers: [...app.workers]
      .sort((a, b) => a.slot - b.slot || a.generation - b.generation)
      .map((w) => ({
        id: w.slot,
        pid: w.pid,
        state: w.state,
        generation: w.generation,
        restarts: app.restarts.get(w.slot) ?? 0,
        uptime_ms: w.state === 'backoff' || w.state === 'fatal' || w.state === 'done' ? 0 : now - w.startedAt,
        cpu: null,
        memory: null,
      })),
  }));
  const configs = registeredFiles(core).map((f) => ({ file: f.file, ok: f.lastError === null, error: f.lastError?.message ?? null, loaded_at: new Date(f.applied!.at).toISOString() }));
  return { pid: process.pid, apps, configs };
}
