// Writes Node's compile cache (NODE_COMPILE_CACHE, which the master sets for Node workers) to
// disk once the worker is ready, not only when it exits: the next worker of the app (a reload's,
// or a restart after a crash or a SIGKILL) then starts warm. Node >= 22.10 has the call; older
// ones write at exit only.
import nodeModule from 'node:module';

// Flushes the compile cache on the next turn, after the ready message went out.
export function flushCompileCacheSoon(): void {
  const flush = (nodeModule as { flushCompileCache?: () => void }).flushCompileCache;
  if (typeof flush !== 'function' || !process.env.NODE_COMPILE_CACHE) return;
  setImmediate(() => {
    try {
      flush();
    } catch {
      // a cache that cannot be written only costs the next worker some compiling
    }
  }).unref();
}
