// One listening socket owned by the master: bound here, put in the listening state by a
// helper process, and never accepted on here, so the kernel hands connections to workers.
import { lookup } from 'node:dns/promises';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { getSystemErrorName } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import type { ListenAddress } from '../config/types.js';
import { withDeadline } from './deadline.js';

// How long each step of a bind may take: the DNS lookup, the stale-socket probe, the helper.
export const BIND_STEP_DEADLINE_MS = 5_000;

// The raw libuv handle Node's cluster primary uses to bind without listening. Node has no
// public API that yields a socket fd the master holds without polling it (docs/protocols.md,
// "How the master binds"), so this internal is used, behind a check of what it does.
interface ServerHandle {
  readonly fd: number;
  getsockname?(out: { port?: number }): number;
  close(): void;
}
type CreateServerHandle = (address: string, port: number, addressType: number) => ServerHandle | number;

// Why `net._createServerHandle` cannot be used on this Node, or null when it works: it must
// exist and bind 127.0.0.1:0 to a handle with an fd, getsockname() and close().
export function serverHandleProblem(): string | null {
  const create = (net as unknown as { _createServerHandle?: unknown })._createServerHandle;
  if (typeof create !== 'function') return 'net._createServerHandle is missing';
  let handle: unknown;
  try {
    handle = (create as CreateServerHandle)('127.0.0.1', 0, 4);
  } catch (error) {
    return `net._createServerHandle threw: ${(error as Error).message}`;
  }
  if (typeof handle === 'number') return `net._createServerHandle could not bind 127.0.0.1:0 (${getSystemErrorName(handle)})`;
  const h = handle as Partial<ServerHandle> | null;
  const usable = typeof h?.fd === 'number' && h.fd >= 0 && typeof h.getsockname === 'function' && typeof h.close === 'function';
  if (typeof h?.close === 'function') h.close();
  return usable ? null : 'net._createServerHandle returned a handle without fd, getsockname() or close()';
}

// net._createServerHandle, checked to work at each use (binds are rare; the check is one
// bind of port 0); a BindError naming the Node version if it does not.
function createServerHandle(addr: ListenAddress): CreateServerHandle {
  const checked = serverHandleProblem();
  if (checked !== null) throw new BindError(`cannot bind ${addr.text}: this Node.js (${process.version}) cannot bind a socket for workers without accepting on it: ${checked}. graceful-supervisor is tested on Node 20, 22 and 24; use one of those`);
  return (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;
}

const HELPER = fileURLToPath(new URL('./listen-helper.js', import.meta.url));

// A socket the master holds open; `fd` is passed to workers.
export interface ListenSocket {
  readonly address: ListenAddress;
  readonly fd: number;
  // The TCP port it is bound to (the one the kernel picked for port 0); null for a unix socket.
  readonly port: number | null;
  // The LISTEN_FDNAMES entry (systemd forbids ':' in names).
  readonly name: string;
  close(): void;
}

// Why binding an address failed, as one line naming the address; `code` is the errno name
// when the kernel refused (EADDRINUSE, EACCES, ...).
export class BindError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

function describe(errno: number, addr: ListenAddress): string {
  const code = getSystemErrorName(errno);
  if (code === 'EADDRINUSE') return 'EADDRINUSE (the address is already in use)';
  if (code === 'EACCES' && addr.kind === 'tcp') return 'EACCES (permission denied; ports below 1024 need privileges)';
  if (code === 'EACCES') return 'EACCES (permission denied, or the directory does not exist)';
  return code;
}

// The LISTEN_FDNAMES name of an address, e.g. "tcp-127.0.0.1-3000" or "unix-app.sock".
export function fdName(addr: ListenAddress): string {
  const raw = addr.kind === 'tcp' ? `tcp-${addr.host}-${addr.port}` : `unix-${addr.path.split('/').pop() ?? ''}`;
  return raw.replace(/[:\s]/g, '.');
}

// A unix socket file that no process listens on any more is left over from a crash.
async function removeStaleSocket(path: string): Promise<void> {
  if (!existsSync(path) || !lstatSync(path).isSocket()) return;
  let probe: net.Socket | undefined;
  const answered = new Promise<boolean>((resolve) => {
    probe = net.connect(path);
    probe.once('connect', () => (probe!.destroy(), resolve(true)));
    probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code !== 'ECONNREFUSED'));
  });
  // A probe that hangs counts as live: the socket file stays, and the bind reports EADDRINUSE.
  const live = await withDeadline(answered, BIND_STEP_DEADLINE_MS, () => (probe?.destroy(), true));
  if (!live) unlinkSync(path);
}

async function bindHandle(addr: ListenAddress): Promise<ServerHandle> {
  const create = createServerHandle(addr);
  let handle: ServerHandle | number;
  if (addr.kind === 'unix') handle = create(addr.path, -1, -1);
  // Every interface, as a listen(port) without a host binds: "::" (dual stack), else 0.0.0.0.
  else if (addr.host === '*') handle = create(null as unknown as string, addr.port, 4);
  else {
    const ip = net.isIP(addr.host)
      ? { address: addr.host, family: net.isIP(addr.host) }
      : await withDeadline(lookup(addr.host).catch(() => null), BIND_STEP_DEADLINE_MS, () => {
        throw new BindError(`cannot bind ${addr.text}: looking up host "${addr.host}" took longer than ${BIND_STEP_DEADLINE_MS} ms`);
      });
    if (!ip) throw new BindError(`cannot bind ${addr.text}: host "${addr.host}" does not resolve`);
    handle = create(ip.address, addr.port, ip.family);
  }
  if (typeof handle === 'number') throw new BindError(`cannot bind ${addr.text}: ${describe(handle, addr)}`, getSystemErrorName(handle));
  // libuv reports EADDRINUSE from bind() late; getsockname returns that delayed error.
  const err = handle.getsockname?.({}) ?? 0;
  if (err < 0) {
    handle.close();
    throw new BindError(`cannot bind ${addr.text}: ${describe(err, addr)}`, getSystemErrorName(err));
  }
  return handle;
}

function boundPort(handle: ServerHandle, addr: ListenAddress): number | null {
  if (addr.kind === 'unix') return null;
  const out: { port?: number } = {};
  handle.getsockname?.(out);
  return out.port ?? addr.port;
}

// Runs the listen helper on `fd`; null on success, else what went wrong.
function listenViaHelper(fd: number): Promise<string | null> {
  let child: ReturnType<typeof spawn> | undefined;
  const done = new Promise<string | null>((resolve) => {
    child = spawn(process.execPath, [HELPER], { stdio: ['ignore', 'ignore', 'pipe', fd] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4096)));
    child.once('error', (error) => resolve(error.message)); // also a spawn that failed (EMFILE): no stderr then
    child.once('close', (code, signal) => resolve(code === 0 ? null : stderr.trim() || `the listen helper exited with ${signal ?? `code ${code}`}`));
  });
  return withDeadline(done, BIND_STEP_DEADLINE_MS, () => (child?.kill('SIGKILL'), `the listen helper did not finish within ${BIND_STEP_DEADLINE_MS} ms`));
}

// Binds `addr` and makes it listen; rejects with a BindError saying why not.
export async function openListenSocket(addr: ListenAddress): Promise<ListenSocket> {
  if (addr.kind === 'unix') await removeStaleSocket(addr.path);
  const handle = await bindHandle(addr);
  const failure = await listenViaHelper(handle.fd);
  if (failure !== null) {
    handle.close();
    throw new BindError(`cannot listen on ${addr.text}: ${failure}`);
  }
  let closed = false;
  return {
    address: addr,
    fd: handle.fd,
    port: boundPort(handle, addr),
    name: fdName(addr),
    close() {
      if (closed) return;
      closed = true;
      handle.close();
    },
  };
}
