// Finish-and-exit inside a worker: on the master's shutdown message, on SIGTERM/SIGINT, or
// when the IPC channel drops because the master died, run the handlers, then exit.
import { parseMasterMessage, IPC_VERSION } from '../protocol/ipc.js';
import { hasIpc, sendToMaster } from './channel.js';

// A function that finishes the worker's current work.
export type ShutdownHandler = () => void | Promise<void>;

const handlers: ShutdownHandler[] = [];
let shuttingDown = false;
let signalsInstalled = false;

// True once finish-and-exit has begun: a job loop should stop taking new jobs.
export function isShuttingDown(): boolean {
  return shuttingDown;
}

// Registers a handler to run on finish-and-exit; the process exits 0 once all have resolved.
export function onShutdown(handler: ShutdownHandler): void {
  handlers.push(handler);
  if (!signalsInstalled) {
    signalsInstalled = true;
    process.on('SIGTERM', () => void beginShutdown('SIGTERM'));
    process.on('SIGINT', () => void beginShutdown('SIGINT'));
  }
}

// Starts finish-and-exit now, as if the master had asked; resolves never (the process exits).
export async function beginShutdown(_why: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  const results = await Promise.allSettled(handlers.map(async (h) => h()));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const f of failed) process.stderr.write(`shutdown handler failed: ${String((f.reason as Error)?.stack ?? f.reason)}\n`);
  process.exit(failed.length ? 1 : 0);
}

// Wires the IPC channel: hello on load, shutdown on request, shutdown when the master is gone.
export function wireIpc(onOther: (message: unknown) => void): void {
  if (!hasIpc) return;
  process.on('message', (raw: unknown) => {
    const msg = parseMasterMessage(raw);
    if (msg?.type === 'supervisor:shutdown') void beginShutdown('master');
    else onOther(raw);
  });
  process.on('disconnect', () => void beginShutdown('master gone'));
  // Our listener must not keep the worker alive once its own work is done.
  process.channel?.unref();
  sendToMaster({ type: 'supervisor:hello', v: IPC_VERSION });
}
