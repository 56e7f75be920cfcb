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
// Master -> worker: finish the current work, then exit.
export interface ShutdownMessage { type: 'supervisor:shutdown'; v: number }
// Master -> worker: send your prom-client metrics as JSON.
export interface MetricsRequestMessage { type: 'supervisor:metrics-request'; v: number; id: number }

// Everything a worker may send us.
export type WorkerToMaster = ReadyMessage | HelloMessage | MetricsReplyMessage;
// Everything we may send a worker.
export type MasterToWorker = ShutdownMessage | MetricsRequestMessage;

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
  return { ok: true, message };
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
  return null;
}

// Narrows an unknown IPC payload to one of our master messages, or null for user traffic.
export function parseMasterMessage(raw: unknown): MasterToWorker | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { type, id } = raw as { type?: unknown; id?: unknown };
  if (type === 'supervisor:shutdown') return { type, v: IPC_VERSION };
  if (type === 'supervisor:metrics-request' && typeof id === 'number') return { type, v: IPC_VERSION, id };
  return null;
}
