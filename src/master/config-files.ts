// The config files a master knows. A file is registered (listed in status, re-read by
// reload, watched) only once a load of it was applied; reads of one file never overlap.
import type { Config } from '../config/types.js';
import type { ErrorCode } from '../protocol/codes.js';
import type { RollMode } from './app-runtime.js';
import type { MasterCore } from './core.js';
import type { Waiter } from './outcome.js';

// One request to read a file and apply it.
export interface LoadRequest {
  readonly id: number;
  // Only this app of the file (reload <app>), or null for all of them.
  readonly app: string | null;
  // Roll apps whose spec did not change too (reload, restart), not only the changed ones.
  readonly rollUnchanged: boolean;
  readonly mode: RollMode;
  readonly reason: string;
  readonly reply: Waiter;
}

// Where a file's load is: nothing under way, its read in the child, its sockets being bound.
export type LoadPhase = 'idle' | 'reading' | 'binding';

// One config file and its loads.
export interface ConfigFile {
  readonly file: string;
  // The env_<name> block it was started with (`--env`), kept for every reload.
  env: string | null;
  applied: { readonly config: Config; readonly at: number } | null;
  lastError: { readonly message: string; readonly code: ErrorCode; readonly at: number } | null;
  phase: LoadPhase;
  // Served by the load under way.
  current: LoadRequest[];
  // Merged into the next load, which starts when the current one is over.
  next: LoadRequest[];
  kickQueued: boolean;
  // The next load waits for a rollout of one of its apps to end.
  waited: boolean;
  // The config read for the load under way, while its sockets are bound.
  binding: Config | null;
  // Bumped by every load and by a forget: a result for an older token is dropped.
  token: number;
  // A config already read for the first start (`run` and the daemon read it before booting).
  preloaded: Config | null;
}

// The record of `file`, created on first use (not yet registered).
export function fileRecord(core: MasterCore, file: string): ConfigFile {
  let f = core.files.get(file);
  if (!f) {
    f = { file, env: null, applied: null, lastError: null, phase: 'idle', current: [], next: [], kickQueued: false, waited: false, binding: null, token: 0, preloaded: null };
    core.files.set(file, f);
  }
  return f;
}

// Files that were applied at least once.
export function registeredFiles(core: MasterCore): ConfigFile[] {
  return [...core.files.values()].filter((f) => f.applied !== null);
}

// Drops the record of a file that was never applied and has nothing left to do.
export function dropIfUnused(core: MasterCore, f: ConfigFile): void {
  if (f.applied === null && f.phase === 'idle' && f.next.length === 0 && core.files.get(f.file) === f) core.files.delete(f.file);
}
