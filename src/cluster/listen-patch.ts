// Cluster mode inside a worker: net.Server.prototype.listen, patched so that an app's
// listen() on a TCP port or a unix path is served from the socket the master holds for the
// app. A socket the master held when the worker started was inherited: listen() goes on at
// once with `{ fd }`, as without the supervisor. Any other is asked for over IPC, and the
// server listens when the master's courier brings it. Calls the master does not serve
// (listen-args.ts, `pass`) go to Node unchanged.
import net from 'node:net';
import type { ClusterAddress } from '../protocol/ipc.js';
import { MAX_LISTEN_INDEX } from '../protocol/ipc.js';
import { addressKey, addressText, listenKeyFor } from './addresses.js';
import { readListenCall, type ListenCall } from './listen-args.js';
import { listenError, type RawHandle } from './worker-request.js';
import type { ServedServers } from './worker-drain.js';

// What the patched listen() needs.
export interface PatchContext {
  // Inherited sockets by address key; each serves one listen() (its server owns the fd after).
  readonly inherited: Map<string, number>;
  request(address: ClusterAddress): Promise<RawHandle>;
  readonly drains: ServedServers;
  // Called when any server of the worker starts listening.
  listening(): void;
}

type Listen = (this: net.Server, ...args: unknown[]) => net.Server;
type Served = Exclude<ListenCall, { kind: 'pass' }>;

// Raw unix-socket handles whose fd a server now uses: kept, never closed (the server closes the fd).
const lent: RawHandle[] = [];

// Installs the patch; `listen` keeps working as before for every call that is not served.
export function patchListen(ctx: PatchContext): void {
  const original = net.Server.prototype.listen as Listen;
  // Per host and port, the ranks of this worker's servers on it (Node's cluster `index`).
  const ranks = new Map<string, Set<number>>();
  const pending = new WeakSet<net.Server>();

  const rankOf = (call: Served): { index: number; release: () => void } => {
    if (call.kind === 'unix') return { index: 0, release: () => undefined };
    const at = `${call.host}|${call.port}`;
    const taken = ranks.get(at) ?? new Set<number>();
    ranks.set(at, taken);
    let index = 0;
    while (taken.has(index)) index++;
    taken.add(index);
    return { index, release: () => taken.delete(index) };
  };

  const patched: Listen = function (this: net.Server, ...args: unknown[]): net.Server {
    const call = readListenCall(args, process.cwd());
    if (!this.listening) this.once('listening', ctx.listening);
    if (call.kind === 'pass' || this.listening) return original.apply(this, args);
    if (pending.has(this)) throw Object.assign(new Error('Listen method has been called more than once without closing.'), { code: 'ERR_SERVER_ALREADY_LISTEN' });
    const rank = rankOf(call);
    this.once('close', rank.release);
    const address: ClusterAddress = call.kind === 'tcp'
      ? { kind: 'tcp', host: call.host, port: call.port, index: rank.index }
      : { kind: 'unix', path: call.path, ...(call.readableAll ? { readableAll: true } : {}), ...(call.writableAll ? { writableAll: true } : {}) };
    if (call.callback) this.once('listening', call.callback);
    const fail = (error: Error) => {
      rank.release();
      this.emit('error', Object.assign(error, call.kind === 'tcp' ? { address: call.host || '::', port: call.port } : { address: call.path }));
    };
    if (rank.index > MAX_LISTEN_INDEX || (call.kind === 'tcp' && call.port !== 0 && rank.index > 0)) {
      process.nextTick(fail, listenError('EADDRINUSE', `listen EADDRINUSE: address already in use ${addressText(address)}`));
      return this;
    }
    ctx.drains.served(this);
    const more = { ...(call.backlog ? { backlog: call.backlog } : {}), ...(call.signal ? { signal: call.signal } : {}) };
    const fd = take(ctx.inherited, addressKey(address)) ?? take(ctx.inherited, listenKeyFor(address));
    if (fd !== undefined) {
      original.call(this, { fd, ...more });
      if (call.kind === 'unix') nameThePipe(this, call.path);
      return this;
    }
    pending.add(this);
    let closed = false;
    const onClose = () => (closed = true);
    this.once('close', onClose);
    ctx.request(address).then(
      (handle) => {
        pending.delete(this);
        this.off('close', onClose);
        if (closed || call.signal?.aborted) return handle.close();
        try {
          if (call.kind === 'tcp') original.call(this, handle, ...(call.backlog ? [call.backlog] : []));
          else {
            lent.push(handle);
            original.call(this, { fd: handle.fd, ...more });
            nameThePipe(this, call.path);
          }
        } catch (error) {
          fail(error as Error);
        }
      },
      (error: Error) => {
        pending.delete(this);
        this.off('close', onClose);
        if (!closed) fail(error);
      },
    );
    return this;
  };
  net.Server.prototype.listen = patched as typeof net.Server.prototype.listen;
}

function take(map: Map<string, number>, key: string): number | undefined {
  const fd = map.get(key);
  map.delete(key);
  return fd;
}

// server.address() of a unix socket server is the path Node remembers when it binds one itself.
function nameThePipe(server: net.Server, path: string): void {
  (server as unknown as { _pipeName?: string })._pipeName = path;
}
