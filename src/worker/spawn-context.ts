// The spawner's view of the rest of the master: the app's inherited sockets, and the
// uid/gid a worker drops to (per-app `uid`/`gid`, only when the master runs as root).
import { execFileSync } from 'node:child_process';
import type { AppSpec } from '../config/types.js';
import type { SpawnContext } from './process-handle.js';

// How long a user or group lookup (id, getent: NSS, maybe LDAP) may block the master.
const LOOKUP_TIMEOUT_MS = 5_000;

function resolveId(kind: 'u' | 'g', value: string | number): number {
  if (typeof value === 'number') return value;
  if (/^\d+$/.test(value)) return Number(value);
  try {
    const flag = kind === 'u' ? ['-u', value] : ['-g', value];
    return Number(execFileSync('id', flag, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: LOOKUP_TIMEOUT_MS }).trim());
  } catch {
    if (kind === 'g') {
      const line = execFileSync('getent', ['group', value], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: LOOKUP_TIMEOUT_MS }).trim();
      return Number(line.split(':')[2]);
    }
    throw new Error(`unknown user "${value}"`);
  }
}

// The uid/gid for a worker of `spec`; empty when nothing is asked or we are not root.
export function uidGidOf(spec: AppSpec): { uid?: number; gid?: number } {
  if (spec.uid === null && spec.gid === null) return {};
  if (process.getuid?.() !== 0) throw new Error(`app ${spec.name} asks for uid/gid but the master does not run as root`);
  const out: { uid?: number; gid?: number } = {};
  if (spec.uid !== null) out.uid = resolveId('u', spec.uid);
  if (spec.gid !== null) out.gid = resolveId('g', spec.gid);
  else if (spec.uid !== null && typeof spec.uid === 'string') out.gid = resolveId('g', execFileSync('id', ['-gn', spec.uid], { encoding: 'utf8', timeout: LOOKUP_TIMEOUT_MS }).trim());
  return out;
}

// A full SpawnContext from the listener lookup, the process groups, cluster mode's sockets and
// the compile cache's folder.
export function spawnContext(parts: Pick<SpawnContext, 'listenFds' | 'groups' | 'cluster' | 'compileCacheRoot'>): SpawnContext {
  const { groups, cluster, compileCacheRoot } = parts;
  return { listenFds: parts.listenFds, uidGid: uidGidOf, ...(groups ? { groups } : {}), ...(cluster ? { cluster } : {}), ...(compileCacheRoot ? { compileCacheRoot } : {}) };
}
