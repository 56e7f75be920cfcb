// The preload every cluster-mode Node worker starts with (`node --import <this file>`, for CJS
// and ESM apps alike): when SUPERVISOR_CLUSTER is set, server.listen() is served from the
// master's sockets (listen-patch.ts), the servers it served drain on the stop signal
// (worker-drain.ts), and without wait_ready the first listening server makes the worker ready.
// Without the variable (the worker's own children) it does nothing.
import { IPC_VERSION } from '../protocol/ipc.js';
import { decodeClusterEnv, ENV_CLUSTER } from './cluster-env.js';
import { patchListen } from './listen-patch.js';
import { drainOnSignal } from './worker-drain.js';
import { requestListen } from './worker-request.js';

const env = decodeClusterEnv(process.env[ENV_CLUSTER]);
delete process.env[ENV_CLUSTER];
let announced = !env?.readyOnListen;
// Without wait_ready a worker is ready once it listens, as PM2's cluster mode has it.
const listening = () => {
  if (announced || !process.connected) return;
  announced = true;
  process.send?.({ type: 'supervisor:ready', v: IPC_VERSION });
};
if (env) patchListen({ inherited: new Map(Object.entries(env.fds)), request: requestListen, drains: drainOnSignal(env.signal as NodeJS.Signals), listening });
