// graceful-supervisor/worker: what a worker imports to take part in graceful reloads.
// Every function is a no-op outside the supervisor, so the same code runs anywhere.
import { signalReady } from './channel.js';
import { wireIpc } from './shutdown.js';
import { handleMetricsRequest } from './metrics.js';

export { isShuttingDown, onShutdown, type ShutdownHandler } from './shutdown.js';
export { supervised } from './channel.js';
export { drainOnShutdown, inheritedFds, listen, type DrainOptions } from './http.js';
export { setMetricsRegistries, type MetricsSource } from './metrics.js';

// Tells the master this worker is ready to take work (after listen, after connecting to the queue).
export function ready(): void {
  signalReady();
}

wireIpc((raw) => void handleMetricsRequest(raw));
