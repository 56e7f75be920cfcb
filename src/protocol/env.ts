// The environment variables the supervisor sets for workers. Documented in docs/protocols.md;
// anything else the master uses internally is stripped before a worker starts.

// The app's name.
export const ENV_APP = 'SUPERVISOR_APP';
// The worker's stable slot id, 0..instances-1.
export const ENV_WORKER_ID = 'SUPERVISOR_WORKER_ID';
// The generation the worker belongs to; bumped by every reload.
export const ENV_GENERATION = 'SUPERVISOR_GENERATION';
// The fd a worker writes a newline to when ready (s6-style readiness).
export const ENV_READY_FD = 'SUPERVISOR_READY_FD';
// PM2's name for the worker id, for apps written for PM2.
export const ENV_PM2_INSTANCE = 'NODE_APP_INSTANCE';

// Variables only the supervisor's own processes use; never passed on to workers.
export const INTERNAL_ENV_PREFIX = 'SUPERVISOR_INTERNAL_';
