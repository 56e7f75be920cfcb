// graceful-supervisor/worker: what a worker imports to take part in graceful reloads.
// Every function is a no-op outside the supervisor, so the same code runs anywhere.
import { signalReady } from './channel.js';
import { wireIpc } from './shutdown.js';

export { isShuttingDown, onShutdown, type ShutdownHandler } from './shutdown.js';
export { supervised } from './channel.js';
export { drainOnShutdown, inheritedFds, listen, type DrainOptions } from './http.js';

// Tells the master this worker is ready to take work (after listen, after connecting to the queue).
export function ready(): void {
  signalReady();
}

wireIpc(() => undefined);
