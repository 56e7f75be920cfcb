// Messages between the master and a Node worker over the IPC channel (newline-delimited
// JSON, as Node's own `serialization: 'json'` writes it). Every message of ours carries
// `type: 'supervisor:*'` and a protocol version, so a user's own messages pass through
// untouched (as Node's cluster does with NODE_CLUSTER).

// The IPC protocol version; bumped on any incompatible change.
export const IPC_VERSION = 1;

// Worker -> master: the worker is ready to take work.
export interface ReadyMessage { type: 'supervisor:ready'; v: number }
// Worker -> master: the SDK is loaded, so finish-and-exit can go over IPC instead of a signal.
export interface HelloMessage { type: 'supervisor:hello'; v: number }
// Worker -> master: the answer to a metrics request.
export interface MetricsReplyMessage { type: 'supervisor:metrics'; v: number; id: number; metrics: unknown; error?: string }
// An address a cluster-mode worker listens on: a TCP port on a host ("" when listen() got none:
// every interface) with the rank of that listen() among the worker's on the same host and port
// (so the first listen(0) of every worker shares one port, as in Node's cluster), or a unix path.
export type ClusterAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly index: number }
  | { readonly kind: 'unix'; readonly path: string; readonly readableAll?: boolean; readonly writableAll?: boolean };
// Worker -> master (cluster mode): bind this address for the app, or share the one held.
export interface ListenRequestMessage { type: 'supervisor:listen'; v: number; id: number; address: ClusterAddress }
// Master -> worker: finish the current work, then exit.
export interface ShutdownMessage { type: 'supervisor:shutdown'; v: number }
// Master -> worker, sent by the courier with the listening socket attached: the answer to listen request `id`.
export interface ListenHandleMessage { type: 'supervisor:listen-handle'; v: number; id: number }
// Master -> worker: listen request `id` failed; `code` is an errno name such as EADDRINUSE.
export interface ListenErrorMessage { type: 'supervisor:listen-error'; v: number; id: number; code: string; message: string }
// Master -> worker: send your prom-client metrics as JSON.
export interface MetricsRequestMessage { type: 'supervisor:metrics-request'; v: number; id: number }

// Everything a worker may send us.
export type WorkerToMaster = ReadyMessage | HelloMessage | MetricsReplyMessage | ListenRequestMessage;
// Everything we may send a worker.
export type MasterToWorker = ShutdownMessage | MetricsRequestMessage | ListenHandleMessage | ListenErrorMessage;

// PM2 apps announce readiness with a bare string; we honour it too.
export const PM2_READY = 'ready';

// The longest message a worker may send; a longer one means the worker is broken.
export const IPC_MAX_MESSAGE_BYTES = 1024 * 1024;
// The longest answer to a metrics request (a worker's prom-client metrics as JSON).
export const IPC_MAX_METRICS_REPLY_BYTES = 16 * 1024 * 1024;

// A worker's message judged: ours (or null for the app's own traffic), or a protocol violation.
export type WorkerMessageCheck = { readonly ok: true; readonly message: WorkerToMaster | null } | { readonly ok: false; readonly reason: string };

// Checks one decoded message from a worker: a `supervisor:*` message must carry our version
// and well-formed fields; anything else is the app's own traffic.
export function checkWorkerMessage(raw: unknown): WorkerMessageCheck {
  if (raw === PM2_READY) return { ok: true, message: { type: 'supervisor:ready', v: IPC_VERSION } };
  if (typeof raw !== 'object' || raw === null) return { ok: true, message: null };
  const { type, v } = raw as { type?: unknown; v?: unknown };
  if (typeof type !== 'string' || !type.startsWith('supervisor:')) return { ok: true, message: null };
  if (v !== IPC_VERSION) return { ok: false, reason: `${type} message of protocol version ${JSON.stringify(v) ?? 'none'} (this master speaks v${IPC_VERSION})` };
  const message = parseWorkerMessage(raw);
  if (type === 'supervisor:metrics' && message === null) return { ok: false, reason: 'supervisor:metrics message without a numeric id' };
  if (type === 'supervisor:listen' && message === null) return { ok: false, reason: 'supervisor:listen message without an id and a valid address' };
  return { ok: true, message };
}

// The longest unix socket path (sun_path holds 108 bytes with the terminating NUL).
export const MAX_SOCKET_PATH_BYTES = 107;
// The highest listen() rank on one host and port a worker may ask for.
export const MAX_LISTEN_INDEX = 64;

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

// A cluster address from the wire, or null when it is malformed: a port outside 0-65535, a
// host that is not a short string, a path that is empty, too long or holds a NUL (except the
// leading one of a Linux abstract socket).
export function parseClusterAddress(raw: unknown): ClusterAddress | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const a = raw as Record<string, unknown>;
  if (a.kind === 'tcp') {
    const { host, port, index } = a;
    if (typeof host !== 'string' || host.length > 255 || /[\x00-\x20]/.test(host)) return null;
    if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535) return null;
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) > MAX_LISTEN_INDEX) return null;
    return { kind: 'tcp', host, port: port as number, index: index as number };
  }
  if (a.kind === 'unix') {
    const { path, readableAll, writableAll } = a;
    if (typeof path !== 'string' || path.length === 0 || Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES || path.slice(1).includes('\0')) return null;
    if ((readableAll !== undefined && typeof readableAll !== 'boolean') || (writableAll !== undefined && typeof writableAll !== 'boolean')) return null;
    return { kind: 'unix', path, ...(readableAll ? { readableAll } : {}), ...(writableAll ? { writableAll } : {}) };
  }
  return null;
}

// Narrows an unknown IPC payload to one of our worker messages, or null for user traffic.
export function parseWorkerMessage(raw: unknown): WorkerToMaster | null {
  if (raw === PM2_READY) return { type: 'supervisor:ready', v: IPC_VERSION };
  if (typeof raw !== 'object' || raw === null) return null;
  const type = (raw as { type?: unknown }).type;
  if (type === 'supervisor:ready' || type === 'supervisor:hello') {
    return { type, v: IPC_VERSION };
  }
  if (type === 'supervisor:metrics') {
    const { id, metrics, error } = raw as { id?: unknown; metrics?: unknown; error?: unknown };
    if (typeof id === 'number') return typeof error === 'string' ? { type, v: IPC_VERSION, id, metrics, error } : { type, v: IPC_VERSION, id, metrics };
  }
  if (type === 'supervisor:listen') {
    const { id } = raw as { id?: unknown };
    const address = parseClusterAddress((raw as { address?: unknown }).address);
    if (isId(id) && address !== null) return { type, v: IPC_VERSION, id, address };
  }
  return null;
}

// Narrows an unknown IPC payload to one of our master messages, or null for user traffic.
export function parseMasterMessage(raw: unknown): MasterToWorker | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { type, id } = raw as { type?: unknown; id?: unknown };
  if (type === 'supervisor:shutdown') return { type, v: IPC_VERSION };
  if (type === 'supervisor:metrics-request' && typeof id === 'number') return { type, v: IPC_VERSION, id };
  if (type === 'supervisor:listen-handle' && isId(id)) return { type, v: IPC_VERSION, id };
  if (type === 'supervisor:listen-error' && isId(id)) {
    const { code, message } = raw as { code?: unknown; message?: unknown };
    return { type, v: IPC_VERSION, id, code: typeof code === 'string' ? code : 'EINVAL', message: typeof message === 'string' ? message : 'listen failed' };
  }
  return null;
}
