// The defaults of the ecosystem file, in one place: normalize fills them in, and the schema
// publishes them (ecosystem.schema.json, docs/config.md), so code and docs cannot disagree.

// Every constant default, in the units normalize works in (ms, counts).
export const DEFAULTS = {
  instances: 1,
  kill_timeout: 30_000,
  listen_timeout: 8_000,
  min_uptime: 1_000,
  max_restarts: 15,
  start_retries: 5,
  exp_backoff_restart_delay: 100,
  watch_delay: 1_000,
  stop_signal: 'SIGTERM',
  max_line_length: 64 * 1024,
  max_log_files: 5,
  metrics: { host: '127.0.0.1', port: 9464 },
} as const;

// The largest delay a Node timer can hold (about 24.8 days); longer durations are refused.
export const MAX_DURATION_MS = 2 ** 31 - 1;
// The largest size accepted for max_memory_restart: 1 TiB.
export const MAX_SIZE_BYTES = 1024 ** 4;
// The range of max_line_length: a worker line is cut there, and the master holds this much per stream.
export const LINE_LENGTH_RANGE = { min: 1024, max: 16 * 1024 ** 2 } as const;
// The smallest max_log_size: rotating more often than every 1 KB is a mistake.
export const MIN_LOG_SIZE = 1024;
