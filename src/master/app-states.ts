// The vocabulary of an app's life, shared by the app machine, the reconciler and status.

// Where an app is: its first start, steady, re-reading its config, replacing its workers,
// changing its worker count, stopping, stopped, or given up after a crash loop.
export type AppState = 'loading' | 'starting' | 'running' | 'rolling' | 'scaling' | 'stopping' | 'stopped' | 'fatal';

// Every state, for tables and tests.
export const APP_STATES: readonly AppState[] = ['loading', 'starting', 'running', 'rolling', 'scaling', 'stopping', 'stopped', 'fatal'];

// States with an operation under way whose waiters hear when the workers match the target.
export const CONVERGING: ReadonlySet<AppState> = new Set(['starting', 'rolling', 'scaling']);

// States in which a crashed worker is restarted (with backoff) rather than left down.
export const KEEPS_WORKERS_UP: ReadonlySet<AppState> = new Set(['loading', 'starting', 'running', 'rolling', 'scaling']);
