// What a cluster-mode Node worker starts with: the preload on its command line, the sockets
// its app holds so far on the fds after its IPC channel, and SUPERVISOR_CLUSTER saying which
// fd serves which address (the app's `listen` sockets, at fds 3.., serve their port or path
// too). Fork-mode workers get none of it.
import type { AppSpec } from '../config/types.js';
import { listenKeyFor } from './addresses.js';
import type { Acquired } from './cluster-sockets.js';
import { encodeClusterEnv, ENV_CLUSTER } from './cluster-env.js';
import type { ClusterAddress } from '../protocol/ipc.js';

const PRELOAD = new URL('./preload.js', import.meta.url).href;

// The master's side of cluster mode, as the spawner sees it.
export interface ClusterHost {
  // The sockets the app's workers asked for so far, by address key.
  clusterFds(app: string): readonly { readonly key: string; readonly fd: number }[];
  acquire(app: string, address: ClusterAddress): Promise<Acquired>;
}

// The node options that load the preload (a file: URL, so any install path works).
export function clusterNodeArgs(spec: AppSpec): string[] {
  return spec.exec_mode === 'cluster' && spec.ipc ? ['--import', PRELOAD] : [];
}

// The extra env and the fds (from `firstFd` on) a cluster-mode worker gets; null in fork mode.
// `listenFds` are the app's `listen` sockets, at fds 3.. in spec.listen order.
export function clusterSpawn(host: ClusterHost | undefined, spec: AppSpec, listenFds: readonly number[], firstFd: number): { env: Record<string, string>; fds: number[] } | null {
  if (!host || spec.exec_mode !== 'cluster' || !spec.ipc) return null;
  const fds: Record<string, number> = {};
  if (listenFds.length === spec.listen.length) spec.listen.forEach((addr, i) => (fds[listenKeyFor(addr)] = 3 + i));
  const held = host.clusterFds(spec.name);
  held.forEach((h, i) => (fds[h.key] = firstFd + i));
  return { env: { [ENV_CLUSTER]: encodeClusterEnv({ v: 1, fds, signal: spec.stop_signal, readyOnListen: !spec.wait_ready }) }, fds: held.map((h) => h.fd) };
}
