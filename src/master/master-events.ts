// The events the master's queue carries.
import type { OutcomeReport } from './app-runtime.js';
import type { TimerName } from '../worker/states.js';

// Who gets the answer to a request once it is settled.
export type Reply = (report: OutcomeReport) => void;

// Every input of the master.
export type MasterEvent =
  | { type: 'load'; file: string; rollUnchanged: boolean; app: string | null; mode: 'rolling' | 'restart'; reason: string; reply: Reply }
  | { type: 'scale'; app: string; instances: number; reply: Reply }
  | { type: 'stop'; app: string | null; reply: Reply }
  | { type: 'shutdown'; reason: string; force: boolean }
  | { type: 'replace'; app: string; slot: number; reason: 'memory' | 'watch'; reply: Reply }
  | { type: 'call'; run: () => void }
  | { type: 'worker-message'; key: string; raw: unknown }
  | { type: 'worker-ready-fd'; key: string }
  | { type: 'worker-exit'; key: string; code: number | null; signal: string | null }
  | { type: 'worker-timer'; key: string; timer: TimerName };
