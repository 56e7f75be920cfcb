// The sockets a cluster-mode app's workers asked for: bound once by the master when the first
// worker's listen() asks (through listen-socket.ts, like `listen`), shared with every worker
// after it (inherited at spawn), and kept across reloads, scaling and crashes, until the app
// is stopped, leaves cluster mode or its file, or the master stops. At most
// MAX_CLUSTER_SOCKETS per app, whatever its workers ask.
import { chmodSync, statSync } from 'node:fs';
import type { ClusterAddress } from '../protocol/ipc.js';
import type { ListenAddress } from '../config/types.js';
import { BindError, openListenSocket, type ListenSocket } from '../master/listen-socket.js';
import { addressKey, addressText } from './addresses.js';

// Distinct addresses one app may hold in cluster mode.
export const MAX_CLUSTER_SOCKETS = 16;

// Who holds a port or path already (the owner of a `listen` socket, or of a cluster one).
export interface Holder { readonly app: string; readonly file: string; readonly socket: ListenSocket }

// One socket an app holds in cluster mode.
interface Held { readonly socket: ListenSocket; readonly conflict: string }

// `epoch` counts releases, so that a bind that finishes after one is not kept.
interface ClusterApp { file: string; epoch: number; readonly byKey: Map<string, Held> }

// The answer to a worker's listen(): the socket, and whether it was bound for this request.
export interface Acquired { readonly socket: ListenSocket; readonly fresh: boolean }

// The key two apps may not share: a TCP port on any host, or a path (as listen-address.ts's listenKey).
export const conflictKeyOf = (socket: ListenSocket): string => (socket.address.kind === 'unix' ? `unix:${socket.address.path}` : `tcp:${socket.port}`);

const conflictKeyFor = (a: ClusterAddress): string | null => (a.kind === 'unix' ? `unix:${a.path}` : a.port === 0 ? null : `tcp:${a.port}`);

function toListenAddress(a: ClusterAddress): ListenAddress {
  if (a.kind === 'unix') return { kind: 'unix', path: a.path, text: addressText(a) };
  return { kind: 'tcp', host: a.host === '' ? '*' : a.host, port: a.port, text: addressText(a) };
}

// Node's readableAll/writableAll: the socket file readable/writable by everyone.
function chmodFor(a: ClusterAddress): void {
  if (a.kind !== 'unix' || a.path.startsWith('\0') || (!a.readableAll && !a.writableAll)) return;
  const mode = statSync(a.path).mode & 0o777;
  chmodSync(a.path, mode | (a.readableAll ? 0o444 : 0) | (a.writableAll ? 0o222 : 0));
}

// Every cluster-mode app's sockets in one master; ListenerRegistry serializes the calls.
export class ClusterSockets {
  private readonly apps = new Map<string, ClusterApp>();
  // Set once a new master took the sockets over (`supervisor upgrade`): nothing is closed here.
  private handedOver = false;

  // `listenHolder` finds the owner of a `listen` socket by conflict key.
  constructor(private readonly listenHolder: (conflict: string) => Holder | undefined) {}

  // Marks `app` of `file` as running in cluster mode (its sockets, if any, are kept).
  enroll(app: string, file: string): void {
    const rec = this.apps.get(app);
    if (rec) rec.file = file;
    else this.apps.set(app, { file, epoch: 0, byKey: new Map() });
  }

  // Closes the sockets of `app` and forgets it (it left cluster mode or its file).
  drop(app: string): void {
    if (!this.handedOver) for (const held of this.apps.get(app)?.byKey.values() ?? []) held.socket.close();
    this.apps.delete(app);
  }

  // Closes the sockets of `app`, which stays in cluster mode (it was stopped; a start binds anew).
  release(app: string): void {
    const rec = this.apps.get(app);
    if (!rec) return;
    if (!this.handedOver) for (const held of rec.byKey.values()) held.socket.close();
    rec.byKey.clear();
    rec.epoch++;
  }

  // The apps enrolled from `file`.
  appsOf(file: string): string[] {
    return [...this.apps].filter(([, rec]) => rec.file === file).map(([app]) => app);
  }

  // The holder of a port or path among cluster-mode apps.
  holder(conflict: string): Holder | undefined {
    for (const [app, rec] of this.apps) {
      for (const held of rec.byKey.values()) if (held.conflict === conflict) return { app, file: rec.file, socket: held.socket };
    }
    return undefined;
  }

  // The sockets `app` holds, by address key, for a worker about to spawn.
  held(app: string): { key: string; fd: number }[] {
    return [...(this.apps.get(app)?.byKey ?? [])].map(([key, held]) => ({ key, fd: held.socket.fd }));
  }

  // The socket for a worker's listen() on `address`: the one `app` holds, its own `listen`
  // socket on that port or path, or one bound now. Rejects with a BindError carrying an errno
  // name (EADDRINUSE when another app holds it, EMFILE past the cap, the kernel's otherwise).
  async acquire(app: string, address: ClusterAddress): Promise<Acquired> {
    const rec = this.apps.get(app);
    const text = addressText(address);
    if (!rec) throw new BindError(`listen ${text}: app "${app}" is not in cluster mode`, 'ENOTSUP');
    const key = addressKey(address);
    const have = rec.byKey.get(key);
    if (have) return { socket: have.socket, fresh: false };
    const conflict = conflictKeyFor(address);
    // The app's own `listen` socket on this port or path serves it ("listen" wins).
    const listening = conflict === null ? undefined : this.listenHolder(conflict);
    if (listening?.app === app) return { socket: listening.socket, fresh: false };
    const owner = listening ?? (conflict === null ? undefined : this.holder(conflict));
    if (owner && owner.app !== app) throw new BindError(`listen EADDRINUSE: ${text} is held by app "${owner.app}" (${owner.file})`, 'EADDRINUSE');
    if (rec.byKey.size >= MAX_CLUSTER_SOCKETS) throw new BindError(`listen ${text}: app "${app}" already holds ${MAX_CLUSTER_SOCKETS} addresses in cluster mode, the most one app may`, 'EMFILE');
    const epoch = rec.epoch;
    const socket = await openListenSocket(toListenAddress(address));
    if (this.apps.get(app) !== rec || rec.epoch !== epoch) {
      socket.close(); // the app was stopped or dropped while binding
      throw new BindError(`listen ${text}: app "${app}" was stopped or left cluster mode`, 'ECANCELED');
    }
    try {
      chmodFor(address);
    } catch (error) {
      socket.close();
      throw new BindError(`listen ${text}: cannot set readableAll/writableAll: ${(error as Error).message}`, 'EPERM');
    }
    rec.byKey.set(key, { socket, conflict: conflictKeyOf(socket) });
    return { socket, fresh: true };
  }

  // Every socket held, with its app, file and key, for a new master.
  handOut(): { app: string; file: string; key: string; socket: ListenSocket }[] {
    return [...this.apps].flatMap(([app, rec]) => [...rec.byKey].map(([key, held]) => ({ app, file: rec.file, key, socket: held.socket })));
  }

  // Takes a socket a previous master held for `app` of `file` in cluster mode.
  adopt(app: string, file: string, key: string, socket: ListenSocket): void {
    this.enroll(app, file);
    this.apps.get(app)!.byKey.set(key, { socket, conflict: conflictKeyOf(socket) });
  }

  // The new master serves the sockets now: drop, release and closeAll keep them open.
  handOver(): void {
    this.handedOver = true;
  }

  // Closes every socket.
  closeAll(): void {
    for (const app of [...this.apps.keys()]) this.drop(app);
  }
}
