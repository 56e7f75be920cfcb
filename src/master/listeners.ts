// The listener registry: the master binds each app's `listen` addresses once, before the
// app's first workers spawn, and keeps them open across reloads, scaling and crashes.
// Sockets close only when their app is removed (or drops the address) or the master stops.
// It also holds the sockets of cluster-mode apps (src/cluster/cluster-sockets.ts), bound when
// a worker's listen() asks, so that the two kinds never claim one port or path.
import { listenKey } from '../config/listen-address.js';
import type { Config } from '../config/types.js';
import type { ClusterAddress } from '../protocol/ipc.js';
import { ClusterSockets, type Acquired } from '../cluster/cluster-sockets.js';
import { BindError, openListenSocket, type ListenSocket } from './listen-socket.js';
import type { Binder } from './loads.js';
import type { HandedSocket } from '../protocol/upgrade.js';
import { inheritedSocket } from './inherited-socket.js';

interface Entry {
  socket: ListenSocket;
  app: string;
  file: string;
}

// Owns every listening socket of one master.
export class ListenerRegistry implements Binder {
  private readonly byKey = new Map<string, Entry>();
  private readonly order = new Map<string, string[]>();
  private readonly cluster = new ClusterSockets((conflict) => this.byKey.get(conflict));
  // Binds of two files (and cluster-mode binds) run one after the other, never racing for one address.
  private serial: Promise<unknown> = Promise.resolve();
  // Set once a new master took the sockets over: closing them here could unlink a unix path
  // the new master serves, so they stay open until this process exits.
  private handedOver = false;

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  // Binds what the apps of `config` (all, or the named ones) need and closes what they dropped.
  // Rejects with a one-line BindError when a bind fails, closing what this call opened.
  prepare(config: Config, only: ReadonlySet<string> | null): Promise<void> {
    return this.serialized(() => this.bind(config, only));
  }

  // Closes the sockets of a forgotten file's apps.
  release(file: string): void {
    for (const [key, e] of [...this.byKey]) if (e.file === file) this.close(key);
    for (const app of this.cluster.appsOf(file)) this.cluster.drop(app);
  }

  // The socket for a cluster-mode worker's listen() (see ClusterSockets.acquire).
  acquire(app: string, address: ClusterAddress): Promise<Acquired> {
    return this.serialized(() => this.cluster.acquire(app, address));
  }

  // Closes a stopped app's cluster-mode sockets: a stopped service refuses connections.
  releaseCluster(app: string): void {
    this.cluster.release(app);
  }

  // The sockets a cluster-mode app holds, by address key, for a worker about to spawn.
  clusterFds(app: string): { key: string; fd: number }[] {
    return this.cluster.held(app);
  }

  private async bind(config: Config, only: ReadonlySet<string> | null): Promise<void> {
    const apps = config.apps.filter((a) => only === null || only.has(a.name));
    const opened: Entry[] = [];
    const order = new Map<string, string[]>();
    try {
      for (const spec of apps) {
        const keys: string[] = [];
        for (const addr of spec.listen) {
          const key = listenKey(addr);
          keys.push(key);
          const held = this.byKey.get(key);
          if (held && held.file !== config.file) throw new BindError(`cannot bind ${addr.text} for app "${spec.name}": app "${held.app}" of ${held.file} holds it`);
          const clustered = this.cluster.holder(key);
          if (clustered && clustered.app !== spec.name) throw new BindError(`cannot bind ${addr.text} for app "${spec.name}": app "${clustered.app}" of ${clustered.file} holds it in cluster mode`);
          if (held && held.socket.address.text === addr.text) continue;
          if (held) this.close(key);
          const socket = await openListenSocket(addr).catch((error: Error) => {
            throw new BindError(`${config.file}: app "${spec.name}": ${error.message}`);
          });
          const entry = { socket, app: spec.name, file: config.file };
          opened.push(entry);
          this.byKey.set(key, entry);
        }
        order.set(spec.name, keys);
      }
    } catch (error) {
      for (const e of opened) this.close(listenKey(e.socket.address));
      throw error;
    }
    for (const [name, keys] of order) {
      this.order.set(name, keys);
      for (const key of keys) this.byKey.get(key)!.app = name;
    }
    const kept = new Set([...order.values()].flat());
    // Removed apps only go away when the whole file is applied (as in applyConfig).
    for (const [key, e] of [...this.byKey]) {
      if (e.file === config.file && !kept.has(key) && (only === null || only.has(e.app))) this.close(key);
    }
    for (const spec of apps) {
      if (spec.exec_mode === 'cluster') this.cluster.enroll(spec.name, config.file);
      else this.cluster.drop(spec.name);
    }
    if (only === null) {
      const names = new Set(config.apps.map((a) => a.name));
      for (const app of this.cluster.appsOf(config.file)) if (!names.has(app)) this.cluster.drop(app);
    }
  }

  // The fds (in the app's `listen` order) and their names, for a worker about to spawn.
  fds(app: string): { fds: number[]; names: string[] } {
    const entries = (this.order.get(app) ?? []).map((key) => this.byKey.get(key)).filter((e): e is Entry => e !== undefined);
    return { fds: entries.map((e) => e.socket.fd), names: entries.map((e) => e.socket.name) };
  }

  // Every socket this master holds, for a new master (`supervisor upgrade`): its fd here and
  // what the new master needs to know about it (`fd` there is set by the caller).
  handOut(): { readonly fd: number; readonly socket: Omit<HandedSocket, 'fd'> }[] {
    const listen = [...this.byKey].map(([key, e]) => ({ fd: e.socket.fd, socket: describeSocket('listen', e.app, e.file, key, e.socket) }));
    const cluster = this.cluster.handOut().map((c) => ({ fd: c.socket.fd, socket: describeSocket('cluster', c.app, c.file, c.key, c.socket) }));
    return [...listen, ...cluster];
  }

  // Takes the sockets a previous master handed over; a config's bind then finds them held.
  adopt(sockets: readonly HandedSocket[]): void {
    for (const h of sockets) {
      if (h.kind === 'listen') this.byKey.set(h.key, { socket: inheritedSocket(h), app: h.app, file: h.file });
      else this.cluster.adopt(h.app, h.file, h.key, inheritedSocket(h));
    }
  }

  // The new master serves the sockets now: never close (or unlink) them here.
  handOver(): void {
    this.handedOver = true;
    this.cluster.handOver();
  }

  // Closes every socket (the master is stopping).
  closeAll(): void {
    if (this.handedOver) return;
    for (const key of [...this.byKey.keys()]) this.close(key);
    this.order.clear();
    this.cluster.closeAll();
  }

  private close(key: string): void {
    if (!this.handedOver) this.byKey.get(key)?.socket.close();
    this.byKey.delete(key);
  }
}

const describeSocket = (kind: HandedSocket['kind'], app: string, file: string, key: string, s: ListenSocket): Omit<HandedSocket, 'fd'> => ({ kind, app, file, key, address: s.address, port: s.port, name: s.name });
