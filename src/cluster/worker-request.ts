// A cluster-mode worker asking its master for a listening socket over IPC: one
// `supervisor:listen` message out; back comes the socket (sent by the master's courier as a raw
// handle) or an error. The worker listens for answers only while it waits for one, so an idle
// channel never keeps it alive.
import os from 'node:os';
import { IPC_VERSION, parseMasterMessage, type ClusterAddress } from '../protocol/ipc.js';

// How long a worker waits for its master's answer; the master answers well within it.
export const LISTEN_ANSWER_MS = 60_000;

// The raw libuv handle Node gives a message listener for a handle sent as 'net.Native'.
export interface RawHandle {
  readonly fd: number;
  close(): void;
}

interface Waiting {
  resolve(handle: RawHandle): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const waiting = new Map<number, Waiting>();
let nextId = 1;

const isRawHandle = (h: unknown): h is RawHandle => typeof h === 'object' && h !== null && typeof (h as RawHandle).fd === 'number' && typeof (h as RawHandle).close === 'function';

// An error shaped like the one Node's own listen() emits: code, errno, syscall.
export function listenError(code: string, message: string): NodeJS.ErrnoException {
  const errno = (os.constants.errno as Record<string, number>)[code];
  return Object.assign(new Error(message), { code, syscall: 'listen', ...(errno === undefined ? {} : { errno: -errno }) });
}

function settle(id: number): Waiting | undefined {
  const w = waiting.get(id);
  if (!w) return undefined;
  clearTimeout(w.timer);
  waiting.delete(id);
  if (waiting.size === 0) {
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
  }
  return w;
}

function onMessage(raw: unknown, handle?: unknown): void {
  const m = parseMasterMessage(raw);
  if (m?.type !== 'supervisor:listen-handle' && m?.type !== 'supervisor:listen-error') return;
  const w = settle(m.id);
  if (m.type === 'supervisor:listen-error') return w?.reject(listenError(m.code, m.message));
  // A handle nobody waits for any more (its request timed out) is this process's own copy: close it.
  if (!w) return isRawHandle(handle) ? handle.close() : undefined;
  if (isRawHandle(handle)) w.resolve(handle);
  else w.reject(listenError('EBADF', 'listen: the supervisor\'s answer came without a socket'));
}

function onDisconnect(): void {
  for (const id of [...waiting.keys()]) settle(id)?.reject(listenError('ECONNRESET', 'listen: the IPC channel to the supervisor closed before it answered'));
}

// Asks the master for a listening socket on `address`.
export function requestListen(address: ClusterAddress): Promise<RawHandle> {
  if (typeof process.send !== 'function' || !process.connected) return Promise.reject(listenError('ENOTCONN', 'listen: no IPC channel to the supervisor'));
  const id = nextId++;
  if (waiting.size === 0) {
    process.on('message', onMessage);
    process.on('disconnect', onDisconnect);
  }
  return new Promise<RawHandle>((resolve, reject) => {
    const timer = setTimeout(() => settle(id)?.reject(listenError('ETIMEDOUT', `listen: the supervisor did not answer within ${LISTEN_ANSWER_MS} ms`)), LISTEN_ANSWER_MS);
    waiting.set(id, { resolve, reject, timer });
    process.send!({ type: 'supervisor:listen', v: IPC_VERSION, id, address }, (error: Error | null) => {
      if (error) settle(id)?.reject(listenError('ENOTCONN', `listen: could not ask the supervisor: ${error.message}`));
    });
  });
}
