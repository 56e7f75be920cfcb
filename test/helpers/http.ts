// HTTP helpers for the listening-socket tests: a free ephemeral port and small GETs.
import http from 'node:http';
import net from 'node:net';

// A port that was free a moment ago: bind port 0, read the number, close.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// One response: status, headers and body.
export interface Reply { readonly status: number; readonly headers: http.IncomingHttpHeaders; readonly body: string }

// GETs `path` on 127.0.0.1:`port` through `agent` (a fresh connection when none).
export function get(port: number, path = '/', agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
  });
}
