// The HTTP endpoint: GET /metrics (Prometheus text, or OpenMetrics when the Accept header
// asks for it) and GET /healthz (200 while the master's loop answers a probe in time).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsSpec } from '../config/types.js';
import { CONTENT_TYPES, formatFor } from './render.js';

// node:http without its ESM facade: on Node 22 and 24 an `import` of node:http reads every
// lazy export, WebSocket among them, which loads undici: 10 to 14 MB of the master's RSS
// for a client it never uses (docs/benchmarks.md, "Idle memory").
const http = process.getBuiltinModule('node:http');

// A failure to listen, with a message that says what to change.
export class MetricsListenError extends Error {
  readonly code = 'E_METRICS_LISTEN';
  // The address was taken by someone else (EADDRINUSE), as opposed to refused or invalid.
  constructor(message: string, readonly inUse = false) {
    super(message);
  }
}

// What the endpoint serves.
export interface EndpointHandlers {
  metrics(format: keyof typeof CONTENT_TYPES): Promise<string>;
  // Resolves with null when healthy, or with why not.
  health(): Promise<string | null>;
}

// A listening endpoint.
export interface MetricsEndpoint {
  readonly url: string;
  // The listening socket's fd, for a master that replaces this one (`supervisor upgrade`).
  readonly fd: number | null;
  close(): Promise<void>;
}

async function answer(req: IncomingMessage, res: ServerResponse, h: EndpointHandlers): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (path === '/metrics') {
    const format = formatFor(req.headers.accept);
    const body = await h.metrics(format);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[format] }).end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (path === '/healthz') {
    const problem = await h.health();
    res.writeHead(problem === null ? 200 : 503, { 'content-type': 'text/plain' }).end(problem === null ? 'ok\n' : `unhealthy: ${problem}\n`);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
}

// Listens on `spec` (on `inheritedFd` when a previous master handed its socket over); rejects
// with a MetricsListenError that names the address and the fix.
export function startEndpoint(spec: MetricsSpec, handlers: EndpointHandlers, configFile: string, inheritedFd: number | null = null): Promise<MetricsEndpoint> {
  const server = http.createServer((req, res) => {
    answer(req, res, handlers).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`error: ${(error as Error).message}\n`);
    });
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${spec.host}:${spec.port}`;
      const fix = `set "metrics": { "port": <another port> } or "metrics": false in ${configFile}`;
      if (error.code === 'EADDRINUSE') reject(new MetricsListenError(`metrics endpoint: ${where} is already in use; ${fix}`, true));
      else if (error.code === 'EACCES') reject(new MetricsListenError(`metrics endpoint: no permission to listen on ${where}; ${fix}`));
      else reject(new MetricsListenError(`metrics endpoint: cannot listen on ${where}: ${error.message}`));
    });
    const listening = () => {
      const { port } = server.address() as AddressInfo;
      const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
      const fd = (server as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
      resolve({
        url: `http://${host}:${port}`,
        fd: typeof fd === 'number' && fd >= 0 ? fd : null,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    };
    if (inheritedFd !== null) server.listen({ fd: inheritedFd }, listening);
    else server.listen(spec.port, spec.host, listening);
  });
}
