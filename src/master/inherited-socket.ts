// A listening socket the master inherited from the master it replaces (`supervisor upgrade`):
// already bound and listening, known only by its fd. Closing it never unlinks a unix socket's
// path (the kernel object has no owner here, unlike a socket this master bound itself).
import { closeSync } from 'node:fs';
import type { HandedSocket } from '../protocol/upgrade.js';
import type { ListenSocket } from './listen-socket.js';

// The ListenSocket for a handed socket; the fd is this process's.
export function inheritedSocket(h: HandedSocket): ListenSocket {
  let closed = false;
  return {
    address: h.address,
    fd: h.fd,
    port: h.port,
    name: h.name,
    close() {
      if (closed) return;
      closed = true;
      try {
        closeSync(h.fd);
      } catch {
        // already closed
      }
    },
  };
}
