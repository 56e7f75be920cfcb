// Draining an HTTP server without failing a request: stop accepting, finish in-flight
// requests, answer further keep-alive requests with `Connection: close`, and close idle
// connections only after a grace period (closing them at once races the client's next
// request). Used by the SDK's drainOnShutdown and by cluster mode's preload.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';

// Options for draining.
export interface DrainOptions {
  // How long an idle keep-alive connection may still send one more request (answered with
  // `Connection: close`) before it is closed. Closing at once races the client's next request.
  readonly idleGraceMs?: number;
}

// A server whose connections are tracked from now on.
export interface Drainer {
  // Drains the server; resolves once every connection is closed.
  drain(): Promise<void>;
}

// Tracks `server`'s connections and requests so that drain() can close it gracefully.
export function trackForDrain(server: Server, opts: DrainOptions = {}): Drainer {
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

  return {
    drain: () =>
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
  };
}
