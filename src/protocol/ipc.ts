// Messages between the master and a Node worker over the IPC channel.
// Every message of ours carries `type: 'supervisor:*'` and a protocol version, so a
// user's own messages pass through untouched (as Node's cluster does with NODE_CLUSTER).

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
