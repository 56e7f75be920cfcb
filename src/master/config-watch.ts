// Reloads when an ecosystem file changes on disk. It watches the file's DIRECTORY, so editors'
// atomic saves (temp file + rename), truncate-then-write and delete-and-recreate are all seen;
// it waits for the write to settle and debounces, so a burst of saves is one reload. The reload
// is master.configChanged: load -> validate -> diff -> apply; an invalid file changes nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { loadWatchLib } from './watch-lib.js';
import type { Master } from './master.js';

// Writes one master log line.
export type AttachmentLog = (level: 'info' | 'warn' | 'error', message: string) => void;

// Timing of the watcher; tests and the defaults use the same knobs.
export interface ConfigWatchOptions {
  // How long the file size must stay unchanged before a write counts as finished.
  readonly stableMs?: number;
  // Quiet time after the last change before the reload starts.
  readonly debounceMs?: number;
}

// A running config watcher.
export interface ConfigWatch {
  // Starts watching one more config file (a later `supervisor start <file>`).
  add(file: string): void;
  // Stops reloading a file (`supervisor forget <file>`); its directory stays watched.
  remove(file: string): void;
  // Resolves once every directory watcher is ready (initial scan done).
  ready(): Promise<void>;
  stop(): Promise<void>;
}

// Watches `files` (absolute paths) and reloads each one that changes.
export function watchConfigFiles(master: Master, files: readonly string[], log: AttachmentLog, opts: ConfigWatchOptions = {}): ConfigWatch {
  const stableMs = opts.stableMs ?? 120;
  const debounceMs = opts.debounceMs ?? 250;
  const watched = new Set<string>();
  const dirs = new Map<string, { watcher: Promise<FSWatcher | null>; ready: Promise<void> }>();
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const fire = (file: string) => {
    timers.delete(file);
    if (stopped) return;
    if (!existsSync(file)) {
      log('warn', `config ${file} was removed; the apps keep running as they are until it comes back`);
      return;
    }
    log('info', `config ${file} changed on disk: reloading what changed`);
    void master.configChanged(file);
  };
  const schedule = (file: string) => {
    clearTimeout(timers.get(file));
    timers.set(file, setTimeout(() => fire(file), debounceMs));
  };

  const add = (file: string) => {
    if (stopped || watched.has(file)) return;
    watched.add(file);
    const dir = path.dirname(file);
    if (dirs.has(dir)) return;
    let settle!: () => void;
    const ready = new Promise<void>((resolve) => (settle = resolve));
    const watcher = loadWatchLib().then(
      ({ watch }) => {
        if (stopped) return null;
        const w = watch(dir, {
          depth: 0,
          ignoreInitial: true,
          atomic: true,
          awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.max(10, Math.round(stableMs / 4)) },
          // Only our files matter; the directory itself must stay watched.
          ignored: (p: string) => p !== dir && !watched.has(p),
        });
        w.once('ready', settle);
        w.on('all', (event, p) => {
          if (watched.has(p) && (event === 'add' || event === 'change' || event === 'unlink')) schedule(p);
        });
        w.on('error', (error) => log('error', `watching ${dir} for config changes failed: ${(error as Error).message}`));
        return w;
      },
      (error: unknown) => {
        log('error', `watching ${dir} for config changes failed: ${(error as Error).message}`);
        return null;
      },
    );
    void watcher.then((w) => w === null && settle());
    dirs.set(dir, { watcher, ready });
  };

  for (const file of files) add(file);
  return {
    add,
    remove: (file) => {
      watched.delete(file);
      clearTimeout(timers.get(file));
      timers.delete(file);
    },
    ready: async () => {
      await Promise.all([...dirs.values()].map((d) => d.ready));
    },
    stop: async () => {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await Promise.all([...dirs.values()].map(async (d) => (await d.watcher)?.close()));
    },
  };
}
