// HTTP servers in a worker: listen on the socket the master passed down (systemd socket
// activation: LISTEN_FDS/LISTEN_PID, fds from 3), and drain keep-alive connections on
// finish-and-exit so a reload neither drops a request nor resets a connection.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';
import { onShutdown } from './shutdown.js';

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

// Options for drainOnShutdown.
export interface DrainOptions {
  // How long an idle keep-alive connection may still send one more request (answered with
  // `Connection: close`) before it is closed. Closing at once races the client's next request.
  readonly idleGraceMs?: number;
}

// Registers a shutdown handler that drains `server`: stop accepting, finish in-flight
// requests, answer further keep-alive requests with `Connection: close`, close idle
// connections after a grace period; resolves once every connection is closed.
export function drainOnShutdown(server: Server, opts: DrainOptions = {}): void {
  const graceMs = opts.idleGraceMs ?? 500;
  const inFlight = new Map<Socket, number>();
  const open = new Set<ServerResponse>();
  let draining = false;
  let graceOver = false;

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    open.add(res);
    if (draining) res.setHeader('Connection', 'close');
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      open.delete(res);
      const left = (inFlight.get(socket) ?? 1) - 1;
      if (!inFlight.has(socket)) return;
      inFlight.set(socket, left);
      if (graceOver && left === 0) socket.destroy();
    };
    res.once('finish', finished);
    res.once('close', finished);
  });

  onShutdown(
    () =>
      new Promise<void>((resolve) => {
        draining = true;
        for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
        // net.Server's close stops accepting and calls back once every connection is gone;
        // http.Server's own close() would also drop idle connections at once.
        net.Server.prototype.close.call(server, () => resolve());
        setTimeout(() => {
          graceOver = true;
          for (const [socket, n] of inFlight) if (n === 0) socket.destroy();
        }, graceMs).unref();
      }),
  );
}
