// How both ends of cluster mode name an address a worker listens on: the key a worker asks
// for (and finds an inherited socket under), and the text people read in logs and errors.
import type { ClusterAddress } from '../protocol/ipc.js';

const hostText = (host: string) => (host === '' ? '*' : host.includes(':') ? `[${host}]` : host);

// The key of an address: "tcp:*:3000", "tcp:127.0.0.1:0#1" (the second listen(0) of a worker on
// that host), "unix:/run/app.sock". Port 0 carries its rank: every worker's first listen(0)
// shares one port, its second another, as in Node's cluster.
export function addressKey(a: ClusterAddress): string {
  if (a.kind === 'unix') return `unix:${a.path}`;
  return `tcp:${hostText(a.host)}:${a.port}${a.port === 0 ? `#${a.index}` : ''}`;
}

// The key under which an app's `listen` socket serves an address: any host, the same port.
export function listenKeyFor(a: { readonly kind: 'tcp'; readonly port: number } | { readonly kind: 'unix'; readonly path: string }): string {
  return a.kind === 'unix' ? `unix:${a.path}` : `listen:${a.port}`;
}

// How an address reads: "*:3000" (every interface), "127.0.0.1:3000", "[::1]:3000", "unix:/run/app.sock".
export function addressText(a: ClusterAddress): string {
  return a.kind === 'unix' ? `unix:${a.path}` : `${hostText(a.host)}:${a.port}`;
}
