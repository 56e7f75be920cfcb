// The vocabulary of a worker's life: its states, why it was asked to stop, and its timers.

// Where one worker incarnation is in its life.
// `done`: exited and not to be restarted (a stop_exit_code, or autorestart false); it keeps
// its slot empty until the next reload, restart or start of the app.
export type WorkerState = 'starting' | 'ready' | 'draining' | 'stopping' | 'exited' | 'backoff' | 'fatal' | 'done';

// Why the master asked a worker to stop; an exit after any of these is expected, never a crash.
export type StopReason = 'reload' | 'scale' | 'stop' | 'restart' | 'abort' | 'ready-timeout' | 'memory' | 'watch' | 'shutdown';

// The timers a worker can have armed; each fires one event back into the machine.
export type TimerName = 'ready' | 'uptime' | 'kill' | 'backoff';

// States in which the worker has a process that has not exited yet.
export const LIVE_STATES: ReadonlySet<WorkerState> = new Set(['starting', 'ready', 'draining', 'stopping']);

// What the master decided to do if this exit turns out to be a crash.
// `down`: the worker stays down in its slot (autorestart false) while the app keeps running.
export type RestartVerdict = { kind: 'restart'; delayMs: number } | { kind: 'fatal'; reason: string } | { kind: 'down'; reason: string } | { kind: 'none' };
