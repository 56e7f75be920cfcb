// The preload every cluster-mode Node worker starts with (`node --import <this file>`, for CJS
// and ESM apps alike): when SUPERVISOR_CLUSTER is set, server.listen() is served from the
// master's sockets (listen-patch.ts) and the servers it served drain on the stop signal
// (worker-drain.ts). Without the variable (the worker's own children) it does nothing.
import { decodeClusterEnv, ENV_CLUSTER } from './cluster-env.js';
import { patchListen } from './listen-patch.js';
import { drainOnSignal } from './worker-drain.js';
import { requestListen } from './worker-request.js';

const env = decodeClusterEnv(process.env[ENV_CLUSTER]);
delete process.env[ENV_CLUSTER];
if (env) patchListen({ inherited: new Map(Object.entries(env.fds)), request: requestListen, drains: drainOnSignal(env.signal as NodeJS.Signals) });
