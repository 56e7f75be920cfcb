// The master's side of the control socket: a Unix socket (mode 0600) that turns each
// request line into a call on the master and writes progress and the final answer back.
// Each connection is bounded (control-connection.ts); connections are capped, and every
// request is checked against the protocol's schema (control-schema.ts) first.
import net from 'node:net';
import { chmodSync, existsSync, renameSync, unlinkSync } from 'node:fs';
import { CONTROL_VERSION, type ControlReply, type ControlRequest, type ControlResponse } from '../protocol/control.js';
import { checkRequest, isProblem } from '../protocol/control-schema.js';
import { MAX_REQUEST_BYTES } from '../protocol/limits.js';
import { ControlConnection, type ConnectionLimits, type LineRunner } from './control-connection.js';
import { withDeadline } from './deadline.js';

// What a handler returns: the final answer, minus the envelope.
export type HandlerResult = Omit<ControlResponse, 'v' | 'id'>;
// One verb's handler; `progress` sends a progress line to the caller.
export type ControlHandler = (req: ControlRequest, progress: (line: string) => void) => Promise<HandlerResult>;

// A running control server.
export interface ControlServer {
  close(): Promise<void>;
  // A server started with `replace`: moves its socket onto the path (rename, atomic), so a
  // client finds either the master it replaces or this one, never no one.
  publish(): void;
  // Another master serves the path now: stop holding the process open, without closing the
  // socket (libuv would unlink the path, which is the new master's) or dropping a request.
  abandon(): void;
}

// Verbs that answer at once (no rollout to wait for), so they get a deadline.
const QUICK_VERBS: ReadonlySet<string> = new Set(['ping', 'status', 'metrics', 'logs', 'describe']);
// How long a quick verb may take before it is answered with E_TIMEOUT.
export const QUICK_DEADLINE_MS = 10_000;

// Options of the control server (tests shorten the deadline and the limits).
export interface ControlServerOptions {
  readonly quickDeadlineMs?: number;
  readonly limits?: Partial<ConnectionLimits>;
  readonly maxConnections?: number;
  // Where a failing accept is reported (at most once every 10 s).
  readonly warn?: (message: string) => void;
  // A live master serves `path` (an upgrade): listen beside it until publish().
  readonly replace?: boolean;
}

// Removes a socket file nobody listens on; throws if a live master owns it.
async function clearStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`another master is listening on ${path}`);
  unlinkSync(path);
}

// The bounds of the control server; tests shorten them.
const LIMITS: ConnectionLimits = { maxLineBytes: MAX_REQUEST_BYTES, maxInFlight: 4, maxUnreadBytes: 16 * 1024 * 1024, idleMs: 10_000 };
// Connections held at once; at the cap the oldest idle one is closed for a new one.
const MAX_CONNECTIONS = 64;
// How often a failing accept is logged.
const ERROR_LOG_EVERY_MS = 10_000;

// Listens on `path` and answers requests with `handlers`.
export async function startControlServer(path: string, handlers: Partial<Record<string, ControlHandler>>, opts: ControlServerOptions = {}): Promise<ControlServer> {
  const quickDeadlineMs = opts.quickDeadlineMs ?? QUICK_DEADLINE_MS;
  const limits = { ...LIMITS, ...opts.limits };
  const maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  // Beside the path while another master serves it; the same directory, so rename is atomic.
  const bound = opts.replace ? `${path}.${process.pid}` : path;
  let at = bound;
  await clearStaleSocket(bound);
  const connections = new Set<ControlConnection>();
  const runLine: LineRunner = (line, reply) => answer(line, reply, handlers, quickDeadlineMs);
  // allowHalfOpen: a client may send its request and end its side at once; it still gets
  // every answer, and we end ours once nothing is pending.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const connection = new ControlConnection(socket, runLine, limits, () => connections.delete(connection));
    if (connections.size >= maxConnections) {
      const oldestIdle = [...connections].find((c) => c.idle);
      if (!oldestIdle) return connection.refuse('E_BUSY', `the master already serves ${maxConnections} control connections with requests in flight; try again`);
      oldestIdle.close();
    }
    connections.add(connection);
  });
  let lastErrorLog = 0;
  server.on('error', (error) => {
    if (Date.now() - lastErrorLog < ERROR_LOG_EVERY_MS) return;
    lastErrorLog = Date.now();
    opts.warn?.(`control socket: ${error.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const old = process.umask(0o177);
    server.listen(bound, () => {
      process.umask(old);
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(bound, 0o600);
  return {
    publish: () => {
      if (at === path) return;
      renameSync(bound, path);
      at = path;
    },
    abandon: () => {
      server.unref();
      for (const c of connections) if (c.idle) c.close();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of connections) if (c.idle) c.close();
        try {
          unlinkSync(at);
        } catch {
          // already gone
        }
      }),
  };
}

async function answer(line: string, write: (message: ControlReply) => void, handlers: Partial<Record<string, ControlHandler>>, quickDeadlineMs: number): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    write({ v: CONTROL_VERSION, id: 0, ok: false, code: 'E_BAD_REQUEST', message: 'request is not JSON' });
    return;
  }
  const req = checkRequest(raw);
  if (isProblem(req)) {
    write({ v: CONTROL_VERSION, id: req.id, ok: false, code: req.code, message: req.message });
    return;
  }
  const handler = Object.hasOwn(handlers, req.verb) ? handlers[req.verb] : undefined;
  if (!handler) {
    write({ v: CONTROL_VERSION, id: req.id, ok: false, code: 'E_BAD_REQUEST', message: `unknown verb "${req.verb}"` });
    return;
  }
  try {
    const run = handler(req, (progress) => write({ v: CONTROL_VERSION, id: req.id, progress }));
    const result = QUICK_VERBS.has(req.verb)
      ? await withDeadline(run, quickDeadlineMs, (): HandlerResult => ({ ok: false, code: 'E_TIMEOUT', message: `${req.verb} did not finish within ${quickDeadlineMs} ms` }))
      : await run;
    write({ v: CONTROL_VERSION, id: req.id, ...result });
  } catch (error) {
    write({ v: CONTROL_VERSION, id: req.id, ok: false, code: 'E_INTERNAL', message: `internal error: ${(error as Error).message}` });
  }
}
