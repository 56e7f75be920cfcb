// chokidar and picomatch, imported on first use: a master that watches nothing (the default)
// keeps about 2.8 MB less resident (docs/benchmarks.md, idle memory).
import type * as Chokidar from 'chokidar';
import type Picomatch from 'picomatch';

// What the watchers need from the two libraries.
export interface WatchLib {
  readonly watch: typeof Chokidar.watch;
  readonly picomatch: typeof Picomatch;
}

let loading: Promise<WatchLib> | null = null;

// The libraries, loaded once.
export function loadWatchLib(): Promise<WatchLib> {
  loading ??= Promise.all([import('chokidar'), import('picomatch')]).then(([chokidar, pm]) => ({ watch: chokidar.watch, picomatch: pm.default }));
  return loading;
}
