// Node cannot reap orphaned grandchildren (no waitpid(-1) without a native addon), so a
// master running as PID 1 of a container would collect zombies: we say so, loudly, once.

// The warning to print when this process is PID 1, or null.
export function pid1Warning(pid: number = process.pid): string | null {
  if (pid !== 1) return null;
  return 'running as PID 1: orphaned grandchildren of workers will not be reaped and stay zombies. '
    + 'Run under an init: ENTRYPOINT ["tini", "--"], or "docker run --init" (see deploy/README.md).';
}
