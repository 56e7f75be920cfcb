// App `watch`: a change under an app's watched paths triggers a rolling reload of that app
// only (never a restart), debounced by watch_delay, with the triggering path logged. It never
// watches node_modules, .git, the supervisor's home (logs, socket), the app's own log files,
// the ecosystem file (config-watch.ts handles that) or anything in ignore_watch. PM2's
// watch_options go to chokidar (the schema allows only options that keep the watcher sane).
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { loadWatchLib, type WatchLib } from './watch-lib.js';
import type { AppSpec } from '../config/types.js';
import type { Master } from './master.js';
import type { MasterNotice } from './notices.js';
import type { AttachmentLog } from './config-watch.js';

const ALWAYS_IGNORED = new Set(['node_modules', '.git']);
const GLOB = /[*?[\]{}!]/;

// A predicate telling which paths an app's watcher skips.
export function ignoredPaths(spec: AppSpec, configFile: string, homeDir: string, picomatch: WatchLib['picomatch']): (p: string) => boolean {
  const exact = new Set([configFile, spec.out_file, spec.error_file, spec.log_file].filter((p): p is string => typeof p === 'string'));
  const under = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);
  const plain = spec.ignore_watch.filter((g) => !GLOB.test(g));
  const globs = spec.ignore_watch.filter((g) => GLOB.test(g)).map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
  return (p) => {
    if (exact.has(p) || under(p, homeDir)) return true;
    const rel = path.relative(spec.cwd, p);
    const parts = p.split(path.sep);
    if (parts.some((part) => ALWAYS_IGNORED.has(part))) return true;
    for (const entry of plain) {
      if (path.isAbsolute(entry) ? under(p, entry) : under(rel, path.normalize(entry)) || (!entry.includes('/') && parts.includes(entry))) return true;
    }
    return globs.some((match) => match(rel) || match(p));
  };
}

interface AppWatcher { readonly key: string; readonly watcher: FSWatcher; timer: NodeJS.Timeout | null }

// Keeps one chokidar watcher per app with `watch`, in step with the loaded config.
export function watchApps(master: Master, homeDir: string, log: AttachmentLog): { stop(): Promise<void> } {
  const watchers = new Map<string, AppWatcher>();
  let stopped = false;
  let syncing: Promise<void> = Promise.resolve();

  const create = (lib: WatchLib, spec: AppSpec, configFile: string, key: string): AppWatcher => {
    const entry: AppWatcher = { key, watcher: lib.watch([...spec.watch], { ...spec.watch_options, ignoreInitial: true, persistent: true, ignored: ignoredPaths(spec, configFile, homeDir, lib.picomatch) }), timer: null };
    let first: string | null = null;
    entry.watcher.on('all', (event, p) => {
      if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
      first ??= p;
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = setTimeout(() => {
        entry.timer = null;
        const trigger = first!;
        first = null;
        if (stopped) return;
        log('info', `app ${spec.name}: watch: ${trigger} changed; rolling reload`);
        void master.reload({ app: spec.name, reason: `watch: ${trigger}` });
      }, spec.watch_delay);
    });
    entry.watcher.once('ready', () => log('info', `app ${spec.name}: watching ${spec.watch.join(', ')} (reload after ${spec.watch_delay} ms quiet)`));
    entry.watcher.on('error', (error) => log('error', `app ${spec.name}: watching ${spec.watch.join(', ')} failed: ${(error as Error).message}`));
    return entry;
  };
  const close = (name: string) => {
    const w = watchers.get(name)!;
    if (w.timer) clearTimeout(w.timer);
    watchers.delete(name);
    void w.watcher.close();
  };

  const sync = async () => {
    const apps = await master.appSpecs();
    if (stopped) return;
    const wanted = new Map(apps.filter((a) => a.spec.watch.length > 0).map((a) => [a.spec.name, a]));
    for (const name of [...watchers.keys()]) if (!wanted.has(name)) close(name);
    if (wanted.size === 0) return;
    const lib = await loadWatchLib();
    if (stopped) return;
    for (const [name, { spec, configFile }] of wanted) {
      const key = JSON.stringify([spec.watch, spec.ignore_watch, spec.watch_delay, spec.watch_options, spec.cwd, spec.out_file, spec.error_file, configFile]);
      if (watchers.get(name)?.key === key) continue;
      if (watchers.has(name)) close(name);
      watchers.set(name, create(lib, spec, configFile, key));
    }
  };
  const resync = () => {
    syncing = syncing.then(sync).catch((error: unknown) => log('error', `app watch: ${(error as Error).message}`));
  };
  const unsubscribe = master.observe((n: MasterNotice) => {
    if (n.type === 'config-loaded' || n.type === 'app-stopped' || n.type === 'reload-done') resync();
  });
  resync();
  return {
    stop: async () => {
      stopped = true;
      unsubscribe();
      await Promise.all([...watchers.keys()].map((name) => {
        const w = watchers.get(name)!;
        if (w.timer) clearTimeout(w.timer);
        return w.watcher.close();
      }));
      watchers.clear();
    },
  };
}
