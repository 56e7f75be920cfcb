// The events the master's queue carries: requests (each with its id), the results of effects
// that ran outside the loop (a config read, a bind), and what workers report.
import type { Config } from '../config/types.js';
import type { LoadResult } from '../config/load-isolated.js';
import type { TimerName } from '../worker/states.js';
import type { RollMode } from './app-runtime.js';
import type { Waiter } from './outcome.js';

// A decision someone asked the master for; `reply` hears its outcome.
export type MasterRequest = { readonly id: number; readonly reply: Waiter } & (
  | { readonly verb: 'start'; readonly file: string; readonly env: string | null; readonly preloaded: Config | null }
  | { readonly verb: 'reload'; readonly app: string | null; readonly mode: RollMode; readonly reason: string }
  | { readonly verb: 'changed'; readonly file: string }
  | { readonly verb: 'scale'; readonly app: string; readonly instances: number }
  | { readonly verb: 'start-app'; readonly app: string }
  // `remove`: the app leaves the master once stopped (`delete <app>`), until its file is read again.
  | { readonly verb: 'stop'; readonly app: string | null; readonly remove: boolean }
  | { readonly verb: 'forget'; readonly file: string }
  | { readonly verb: 'replace'; readonly app: string; readonly slot: number; readonly reason: 'memory' | 'watch' }
);

// Every input of the master.
export type MasterEvent =
  | { type: 'request'; request: MasterRequest }
  | { type: 'shutdown'; reason: string; force: boolean }
  | { type: 'call'; run: () => void }
  // Start reading a file for every request merged so far.
  | { type: 'load-kick'; file: string }
  | { type: 'load-read'; file: string; token: number; result: LoadResult }
  | { type: 'load-bound'; file: string; token: number; error: string | null }
  | { type: 'worker-message'; key: string; raw: unknown }
  | { type: 'worker-ready-fd'; key: string }
  | { type: 'worker-broken'; key: string; reason: string }
  | { type: 'worker-exit'; key: string; code: number | null; signal: string | null; error?: string }
  | { type: 'worker-timer'; key: string; timer: TimerName };
