// HTTP servers in a worker: listen on the socket the master passed down (systemd socket
// activation: LISTEN_FDS/LISTEN_PID, fds from 3), and drain keep-alive connections on
// finish-and-exit so a reload neither drops a request nor resets a connection.
import type { Server } from 'node:http';
import type net from 'node:net';
import { onShutdown } from './shutdown.js';
import { trackForDrain, type DrainOptions } from './drain.js';

export type { DrainOptions };

const FIRST_FD = 3;

// The fds this process inherited by socket activation (empty when LISTEN_PID is not ours).
export function inheritedFds(): number[] {
  if (process.env.LISTEN_PID !== String(process.pid)) return [];
  const count = Number(process.env.LISTEN_FDS);
  if (!Number.isInteger(count) || count < 1) return [];
  return Array.from({ length: count }, (_, i) => FIRST_FD + i);
}

// Listens on the inherited socket `index` (default the first), or else on `fallback`
// (a port or listen options) outside the supervisor; resolves once listening.
export function listen(server: net.Server, fallback?: number | net.ListenOptions, index = 0): Promise<void> {
  const fd = inheritedFds()[index];
  let options: net.ListenOptions | { fd: number };
  if (fd !== undefined) options = { fd };
  else if (typeof fallback === 'number') options = { port: fallback };
  else if (fallback) options = fallback;
  else return Promise.reject(new Error(`listen: no inherited socket #${index} (LISTEN_FDS/LISTEN_PID) and no fallback port given`));
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(options, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

// Registers a shutdown handler that drains `server` (see drain.ts): stop accepting, finish
// in-flight requests, answer further keep-alive requests with `Connection: close`, close idle
// connections after a grace period; resolves once every connection is closed.
export function drainOnShutdown(server: Server, opts: DrainOptions = {}): void {
  const drainer = trackForDrain(server, opts);
  onShutdown(() => drainer.drain());
}
