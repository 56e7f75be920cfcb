// The master's side of the control socket: a Unix socket (mode 0600) that turns each
// request line into a call on the master and writes progress and the final answer back.
import net from 'node:net';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CONTROL_VERSION, encodeLine, isProblem, parseRequest, type ControlRequest, type ControlResponse } from '../protocol/control.js';
import { withDeadline } from './deadline.js';

// What a handler returns: the final answer, minus the envelope.
export type HandlerResult = Omit<ControlResponse, 'v' | 'id'>;
// One verb's handler; `progress` sends a progress line to the caller.
export type ControlHandler = (req: ControlRequest, progress: (line: string) => void) => Promise<HandlerResult>;

// A running control server.
export interface ControlServer {
  close(): Promise<void>;
}

// Verbs that answer at once (no rollout to wait for), so they get a deadline.
const QUICK_VERBS: ReadonlySet<string> = new Set(['ping', 'status', 'metrics', 'logs', 'describe']);
// How long a quick verb may take before it is answered with E_TIMEOUT.
export const QUICK_DEADLINE_MS = 10_000;

// Options of the control server (tests shorten the deadline).
export interface ControlServerOptions { readonly quickDeadlineMs?: number }

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

// Listens on `path` and answers requests with `handlers`.
export async function startControlServer(path: string, handlers: Partial<Record<string, ControlHandler>>, opts: ControlServerOptions = {}): Promise<ControlServer> {
  const quickDeadlineMs = opts.quickDeadlineMs ?? QUICK_DEADLINE_MS;
  await clearStaleSocket(path);
  // allowHalfOpen: a client may send its request and end its side at once; it still gets
  // every answer, and we end ours once nothing is pending.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    let pending = 0;
    let clientEnded = false;
    const endIfDone = () => {
      if (clientEnded && pending === 0) socket.end();
    };
    createInterface({ input: socket }).on('line', (line) => {
      pending++;
      void answer(line, socket, handlers, quickDeadlineMs).finally(() => {
        pending--;
        endIfDone();
      });
    });
    socket.on('end', () => {
      clientEnded = true;
      // readline delivers the last line on 'end' too; let it register before deciding.
      setImmediate(endIfDone);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const old = process.umask(0o177);
    server.listen(path, () => {
      process.umask(old);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }),
  };
}

async function answer(line: string, socket: net.Socket, handlers: Partial<Record<string, ControlHandler>>, quickDeadlineMs: number): Promise<void> {
  const write = (obj: Parameters<typeof encodeLine>[0]) => {
    if (!socket.destroyed) socket.write(encodeLine(obj));
  };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    write({ v: CONTROL_VERSION, id: 0, ok: false, code: 'E_BAD_REQUEST', message: 'request is not JSON' });
    return;
  }
  const req = parseRequest(raw);
  if (isProblem(req)) {
    write({ v: CONTROL_VERSION, id: req.id, ok: false, code: req.code, message: req.message });
    return;
  }
  const handler = handlers[req.verb];
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
