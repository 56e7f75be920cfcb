// The listener registry: the master binds each app's `listen` addresses once, before the
// app's first workers spawn, and keeps them open across reloads, scaling and crashes.
// Sockets close only when their app is removed (or drops the address) or the master stops.
import { listenKey } from '../config/listen-address.js';
import type { Config } from '../config/types.js';
import { BindError, openListenSocket, type ListenSocket } from './listen-socket.js';
import type { Binder } from './loads.js';

interface Entry {
  socket: ListenSocket;
  app: string;
  file: string;
}

// Owns every listening socket of one master.
export class ListenerRegistry implements Binder {
  private readonly byKey = new Map<string, Entry>();
  private readonly order = new Map<string, string[]>();
  // Binds of two files run one after the other, so they never race for one address.
  private serial: Promise<void> = Promise.resolve();

  // Binds what the apps of `config` (all, or the named ones) need and closes what they dropped.
  // Rejects with a one-line BindError when a bind fails, closing what this call opened.
  prepare(config: Config, only: ReadonlySet<string> | null): Promise<void> {
    const run = this.serial.then(() => this.bind(config, only));
    this.serial = run.catch(() => undefined);
    return run;
  }

  // Closes the sockets of a forgotten file's apps.
  release(file: string): void {
    for (const [key, e] of [...this.byKey]) if (e.file === file) this.close(key);
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
  }

  // The fds (in the app's `listen` order) and their names, for a worker about to spawn.
  fds(app: string): { fds: number[]; names: string[] } {
    const entries = (this.order.get(app) ?? []).map((key) => this.byKey.get(key)).filter((e): e is Entry => e !== undefined);
    return { fds: entries.map((e) => e.socket.fd), names: entries.map((e) => e.socket.name) };
  }

  // Closes every socket (the master is stopping).
  closeAll(): void {
    for (const key of [...this.byKey.keys()]) this.close(key);
    this.order.clear();
  }

  private close(key: string): void {
    this.byKey.get(key)?.socket.close();
    this.byKey.delete(key);
  }
}
