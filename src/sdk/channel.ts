// How this worker talks to its master: the IPC channel when there is one, else the
// readiness fd. Outside the supervisor both are absent and every call is a no-op.
import { closeSync, writeSync } from 'node:fs';
import { IPC_VERSION, type WorkerToMaster } from '../protocol/ipc.js';
import { ENV_APP, ENV_READY_FD } from '../protocol/env.js';
import { flushCompileCacheSoon } from './compile-cache.js';

// True when a supervisor master started this process.
export const supervised = process.env[ENV_APP] !== undefined;

// True when this worker has an IPC channel to its master.
export const hasIpc = supervised && typeof process.send === 'function';

// Sends one protocol message to the master over IPC; false when there is no channel.
export function sendToMaster(message: WorkerToMaster): boolean {
  if (!hasIpc || !process.connected) return false;
  process.send!(message);
  return true;
}

let readySent = false;

// Tells the master we are ready, once: over IPC, or by a newline on SUPERVISOR_READY_FD.
export function signalReady(): void {
  if (readySent || !supervised) return;
  readySent = true;
  flushCompileCacheSoon();
  if (sendToMaster({ type: 'supervisor:ready', v: IPC_VERSION })) return;
  const fd = Number(process.env[ENV_READY_FD]);
  if (!Number.isInteger(fd) || fd < 3) return;
  try {
    writeSync(fd, '\n');
    closeSync(fd);
  } catch {
    // the master went away; the shutdown path will notice
  }
}
