// The one variable that turns a Node worker's listen() preload on: which inherited fd serves
// which address, and which signal means finish-and-exit. The preload deletes it at once, so
// the worker's own children (a child_process.fork, Node's cluster) run without it.

// The variable's name (documented in docs/protocols.md).
export const ENV_CLUSTER = 'SUPERVISOR_CLUSTER';

// What the variable holds, as JSON.
export interface ClusterEnv {
  readonly v: 1;
  // Address key (addresses.ts) -> the fd the worker inherited it on.
  readonly fds: Readonly<Record<string, number>>;
  // The app's stop_signal: on it the preload drains the servers it served, then lets the signal act.
  readonly signal: string;
  // True without wait_ready: the worker is ready once a server listens (PM2's cluster mode).
  readonly readyOnListen: boolean;
}

// The variable's value.
export function encodeClusterEnv(env: ClusterEnv): string {
  return JSON.stringify(env);
}

// The variable read back, or null when it is absent or not ours.
export function decodeClusterEnv(text: string | undefined): ClusterEnv | null {
  if (text === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { v, fds, signal, readyOnListen } = raw as Partial<ClusterEnv>;
  if (v !== 1 || typeof signal !== 'string' || typeof fds !== 'object' || fds === null) return null;
  const clean: Record<string, number> = {};
  for (const [key, fd] of Object.entries(fds)) if (Number.isInteger(fd) && fd >= 3) clean[key] = fd;
  return { v, fds: clean, signal, readyOnListen: readyOnListen === true };
}
