// The master: one queue, one loop, and the public verbs (start, reload, scale, stop, forget,
// status). Every verb is a request with an id that goes through the queue; the loop decides
// everything between two events and never awaits: config reads and binds run outside it and
// come back as events. docs/architecture.md tells the whole story.
import { loadConfigIsolated } from '../config/load-isolated.js';
import { reuseUnchangedJson } from '../config/reuse-json.js';
import type { AppSpec, Config } from '../config/types.js';
import type { RollMode } from './app-runtime.js';
import { targetSpec } from './app-runtime.js';
import { feedApp } from './app-driver.js';
import { fileRecord, registeredFiles } from './config-files.js';
import { MasterCore } from './core.js';
import type { MasterEffects, WorkerHandle } from './effects.js';
import { EventQueue } from './event-queue.js';
import { cancelLoads, kick, kickWaitingLoads, onBound, onRead, requestLoad, type Binder, type ConfigLoader, type LoadContext } from './loads.js';
import type { MasterEvent, MasterRequest } from './master-events.js';
import type { Observer } from './notices.js';
import { done, failed, fanIn, type Outcome } from './outcome.js';
import { reconcileApp } from './run-reconcile.js';
import { onWorkerEvent } from './worker-events.js';
import { statusOf, type StatusReport } from './status.js';
import { forgetWorker, killWorker } from './worker-driver.js';

// Options for a reload or restart request.
export interface ReloadRequest {
  readonly app?: string | null;
  readonly reason?: string;
  // The request id (from newRequestId) when the caller follows its notices.
  readonly request?: number;
}

// Master-wide settings that do not come from a config file.
export interface MasterOptions {
  // Accept config files others could write (sshd's StrictModes off).
  readonly insecureConfig?: boolean;
  // Reads config files; by default in the loader child (src/config/load-isolated.ts).
  readonly loader?: ConfigLoader;
  // Binds listening sockets before a config applies (boot's listener registry).
  readonly binder?: Binder;
  // Where an app's stderr goes (its error_file), named when its workers fail.
  readonly errorLogOf?: (app: string) => string;
}

// A supervisor master. Construct it with real or fake effects, then call start().
export class Master {
  private readonly core: MasterCore;
  private readonly queue: EventQueue<MasterEvent>;
  private readonly ctx: LoadContext;
  private readonly abort = new AbortController();
  private readonly stoppedWaiters: (() => void)[] = [];
  private stopped = false;
  // Requests that arrive before the first start wait for it (null once it came).
  private parked: MasterRequest[] | null = [];

  constructor(effects: MasterEffects, options: MasterOptions = {}) {
    this.queue = new EventQueue<MasterEvent>(
      (e) => this.handle(e),
      (error) => this.core.notify({ type: 'log', level: 'error', message: `internal error: ${(error as Error).stack ?? String(error)}` }),
    );
    this.core = new MasterCore(effects, (e) => this.queue.push(e));
    this.core.errorLogOf = options.errorLogOf ?? null;
    const insecure = options.insecureConfig ?? false;
    this.ctx = {
      loader: options.loader ?? reuseUnchangedJson((file, o) => loadConfigIsolated(file, { env: o.env, insecure, signal: o.signal }), insecure),
      binder: options.binder ?? null,
      abort: this.abort.signal,
    };
  }

  // Subscribes to notices (logs, metrics, tests); returns the unsubscribe function.
  observe(observer: Observer): () => void {
    this.core.observers.push(observer);
    return () => {
      const i = this.core.observers.indexOf(observer);
      if (i >= 0) this.core.observers.splice(i, 1);
    };
  }

  // A fresh request id, for a caller that wants to follow its request's notices.
  newRequestId(): number {
    return this.core.newRequest();
  }

  // Loads a config file and starts (or updates) its apps; settles when they are ready.
  // `preloaded`: the file was read already (by `run` or the daemon), so it is not read twice.
  start(file: string, opts: { readonly env?: string | null; readonly preloaded?: Config; readonly request?: number } = {}): Promise<Outcome> {
    return this.ask(opts.request, (id, reply) => ({ verb: 'start', id, reply, file, env: opts.env ?? null, preloaded: opts.preloaded ?? null }));
  }

  // Re-reads every config file and rolls its apps (all, or one): the path SIGHUP takes.
  reload(req: ReloadRequest = {}): Promise<Outcome> {
    return this.roll(req, 'rolling', req.reason ?? 'reload');
  }

  // Like reload, but all at once instead of rolling.
  restart(req: ReloadRequest = {}): Promise<Outcome> {
    return this.roll(req, 'restart', req.reason ?? 'restart');
  }

  // Re-reads one config file after it changed on disk; rolls only what changed.
  configChanged(file: string): Promise<Outcome> {
    return this.ask(undefined, (id, reply) => ({ verb: 'changed', id, reply, file }));
  }

  // Sets an app's worker count without touching the other workers; settles once it matches.
  scale(app: string, instances: number, opts: { readonly request?: number } = {}): Promise<Outcome> {
    return this.ask(opts.request, (id, reply) => ({ verb: 'scale', id, reply, app, instances }));
  }

  // Stops one app gracefully, or (with null) every app and then the master. With `remove`
  // (`delete <app>`) the app is forgotten once stopped, until the next read of its file.
  stop(app: string | null, opts: { readonly request?: number; readonly remove?: boolean } = {}): Promise<Outcome> {
    return this.ask(opts.request, (id, reply) => ({ verb: 'stop', id, reply, app, remove: opts.remove ?? false }));
  }

  // Starts an app stopped with stop(app), or a fatal one, from its current spec.
  startApp(app: string, opts: { readonly request?: number } = {}): Promise<Outcome> {
    return this.ask(opts.request, (id, reply) => ({ verb: 'start-app', id, reply, app }));
  }

  // Drops a config file: its apps stop and leave, it is no longer reloaded or watched.
  forget(file: string, opts: { readonly request?: number } = {}): Promise<Outcome> {
    return this.ask(opts.request, (id, reply) => ({ verb: 'forget', id, reply, file }));
  }

  // Replaces one worker in place, the new one first (memory limit, watch).
  replaceWorker(app: string, slot: number, reason: 'memory' | 'watch'): Promise<Outcome> {
    return this.ask(undefined, (id, reply) => ({ verb: 'replace', id, reply, app, slot, reason }));
  }

  // Begins a graceful shutdown (SIGTERM/SIGINT); `force` kills every worker at once.
  shutdown(reason: string, force = false): void {
    this.queue.push({ type: 'shutdown', reason, force });
  }

  // A snapshot of every app and worker, taken between two events.
  status(): Promise<StatusReport> {
    return new Promise((resolve) => this.queue.push({ type: 'call', run: () => resolve(statusOf(this.core)) }));
  }

  // Resolves once the master has stopped every app after a shutdown.
  whenStopped(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  // The spec and config file of every app that is not stopping (for the app watcher).
  appSpecs(): Promise<{ spec: AppSpec; configFile: string }[]> {
    const snapshot = () =>
      [...this.core.apps.values()]
        .filter((a) => a.state !== 'stopped' && a.state !== 'stopping' && a.specs.has(a.generation))
        .map((a) => ({ spec: targetSpec(a), configFile: a.configFile }));
    return new Promise((resolve) => this.queue.push({ type: 'call', run: () => resolve(snapshot()) }));
  }

  // Workers whose process is running, for samplers (memory, CPU) and metrics requests.
  liveWorkers(): { app: string; slot: number; generation: number; pid: number; key: string; ipc: boolean; sdk: boolean }[] {
    return [...this.core.workers.values()]
      .filter((w) => w.pid !== null && w.exitedAt === null && w.handle)
      .map((w) => ({ app: w.app, slot: w.slot, generation: w.generation, pid: w.pid!, key: w.key, ipc: this.core.apps.get(w.app)!.specs.get(w.generation)!.ipc, sdk: w.saidHello }));
  }

  // Sends an IPC message to one worker (metrics requests); false if it is gone.
  sendToWorker(key: string, message: Parameters<WorkerHandle['send']>[0]): boolean {
    const w = this.core.workers.get(key);
    if (!w?.handle || w.exitedAt !== null) return false;
    w.handle.send(message);
    return true;
  }

  // The spec an app's new workers start from (its log file paths), or null for an unknown app.
  specOf(app: string): AppSpec | null {
    const a = this.core.apps.get(app);
    return a && a.specs.has(a.generation) ? targetSpec(a) : null;
  }

  // The config files the master runs and the --env of each, for a master that replaces it.
  configFiles(): Promise<{ file: string; env: string | null }[]> {
    const files = () => registeredFiles(this.core).map((f) => ({ file: f.file, env: f.env }));
    return new Promise((resolve) => this.queue.push({ type: 'call', run: () => resolve(files()) }));
  }

  // The names of every app the master runs, for the logs verb.
  appNames(): string[] {
    return [...this.core.apps.keys()];
  }

  // Resolves when the queue has nothing left to do and no read or bind is under way.
  async idle(): Promise<void> {
    for (;;) {
      await this.queue.whenIdle();
      await this.core.whenEffectsSettled();
      if (this.queue.length === 0) return this.queue.whenIdle();
    }
  }

  // When the loop last finished an event (for /healthz).
  get lastTurnAt(): number {
    return this.queue.lastTurnAt;
  }

  private roll(req: ReloadRequest, mode: RollMode, reason: string): Promise<Outcome> {
    return this.ask(req.request, (id, reply) => ({ verb: 'reload', id, reply, app: req.app ?? null, mode, reason }));
  }

  private ask(request: number | undefined, make: (id: number, reply: (o: Outcome) => void) => MasterRequest): Promise<Outcome> {
    const id = request ?? this.core.newRequest();
    return new Promise((resolve) => this.queue.push({ type: 'request', request: make(id, resolve) }));
  }

  private handle(e: MasterEvent): void {
    const core = this.core;
    switch (e.type) {
      case 'request':
        return this.onRequest(e.request);
      case 'shutdown':
        return this.beginShutdown(e.reason, e.force);
      case 'call':
        return e.run();
      case 'load-kick': {
        const f = core.files.get(e.file);
        if (f) kick(core, this.ctx, f);
        return this.reconcileAll();
      }
      case 'load-read': {
        const f = core.files.get(e.file);
        if (f?.token === e.token && f.phase === 'reading') onRead(core, this.ctx, f, e.result);
        return this.reconcileAll();
      }
      case 'load-bound': {
        const f = core.files.get(e.file);
        if (f?.token === e.token && f.phase === 'binding') onBound(core, this.ctx, f, e.error);
        else if (!f) this.ctx.binder?.release(e.file); // forgotten while its sockets were bound
        return this.reconcileAll();
      }
      case 'worker-message':
      case 'worker-ready-fd':
      case 'worker-broken':
      case 'worker-exit':
      case 'worker-timer':
        onWorkerEvent(core, e);
        return this.reconcileAll();
    }
  }

  private onRequest(r: MasterRequest): void {
    if (this.core.shuttingDown && !(r.verb === 'stop' && r.app === null)) return r.reply(failed('E_SHUTTING_DOWN', 'the master is shutting down'));
    if (this.parked && r.verb !== 'start' && !(r.verb === 'stop' && r.app === null)) {
      this.parked.push(r);
      return;
    }
    try {
      this.decide(r);
    } catch (error) {
      r.reply(failed('E_INTERNAL', `internal error: ${(error as Error).message}`));
      throw error;
    } finally {
      this.reconcileAll();
    }
    if (r.verb === 'start' && this.parked) {
      const parked = this.parked;
      this.parked = null;
      for (const p of parked) this.onRequest(p);
    }
  }

  private decide(r: MasterRequest): void {
    const core = this.core;
    const unknownApp = (name: string) => r.reply(failed('E_UNKNOWN_APP', `unknown app "${name}"`));
    const appNamed = (name: string) => {
      const app = core.apps.get(name);
      return app && !app.removeWhenStopped ? app : null;
    };
    switch (r.verb) {
      case 'start': {
        const f = fileRecord(core, r.file);
        f.env = r.env;
        if (r.preloaded) f.preloaded = r.preloaded;
        return requestLoad(core, f, { id: r.id, app: null, rollUnchanged: false, mode: 'rolling', reason: 'start', reply: r.reply });
      }
      case 'reload': {
        let files = registeredFiles(core);
        if (r.app !== null) {
          const app = appNamed(r.app);
          if (!app) return unknownApp(r.app);
          files = [fileRecord(core, app.configFile)];
        } else if (files.length === 0) {
          files = [...core.files.values()]; // only first loads under way: wait for them
        }
        if (files.length === 0) return r.reply(failed('E_CONFIG', 'no config loaded; start one with "supervisor start <config>"'));
        const parts = fanIn(files.length, r.reply);
        files.forEach((f, i) => requestLoad(core, f, { id: r.id, app: r.app, rollUnchanged: true, mode: r.mode, reason: r.reason, reply: parts[i]! }));
        return;
      }
      case 'changed': {
        const f = core.files.get(r.file);
        if (!f) return r.reply(failed('E_CONFIG', `${r.file} is not loaded`));
        return requestLoad(core, f, { id: r.id, app: null, rollUnchanged: false, mode: 'rolling', reason: 'config file changed', reply: r.reply });
      }
      case 'scale': {
        const app = appNamed(r.app);
        if (!app) return unknownApp(r.app);
        feedApp(core, app, { type: 'scale', instances: r.instances, request: r.id, waiters: [r.reply] });
        return;
      }
      case 'stop': {
        if (r.app === null) {
          if (this.stopped) return r.reply(done('master stopped'));
          this.stoppedWaiters.push(() => r.reply(done('master stopped')));
          return this.beginShutdown('stop requested', false);
        }
        const app = appNamed(r.app);
        if (!app) return unknownApp(r.app);
        feedApp(core, app, { type: 'stop', remove: r.remove, request: r.id, waiters: [r.reply] });
        return;
      }
      case 'start-app': {
        const app = appNamed(r.app);
        if (!app) return r.reply(failed('E_UNKNOWN_APP', `unknown app "${r.app}"; an app removed with delete comes back when its file is read again (supervisor reload)`));
        if (!app.specs.has(app.generation)) return r.reply(failed('E_BUSY', `app ${r.app} has not been started yet`));
        feedApp(core, app, { type: 'start', spec: targetSpec(app), request: r.id, waiters: [r.reply] });
        return;
      }
      case 'forget':
        return this.forgetFile(r.file, r.id, r.reply);
      case 'replace': {
        const app = core.apps.get(r.app);
        const w = app?.workers.find((x) => x.slot === r.slot && x.generation === app.generation && x.state === 'ready' && x.replacing === null);
        if (!app || !w) return r.reply(failed('E_UNKNOWN_APP', `no ready worker ${r.app}#${r.slot}`));
        w.replacing = r.reason;
        core.notify({ type: 'worker-restart-scheduled', worker: core.ref(w), delayMs: 0, reason: r.reason });
        return r.reply(done(`${app.name}#${r.slot}: replacing (${r.reason})`));
      }
    }
  }

  private forgetFile(file: string, id: number, reply: (o: Outcome) => void): void {
    const core = this.core;
    const f = core.files.get(file);
    if (!f) return reply(failed('E_UNKNOWN_APP', `config ${file} is not loaded; loaded: ${registeredFiles(core).map((x) => x.file).join(', ') || 'none'}`));
    cancelLoads(core, f, 'E_ABORTED', `${file} was forgotten`);
    core.files.delete(file);
    this.ctx.binder?.release(file);
    core.notify({ type: 'config-forgotten', file, request: id });
    const apps = [...core.apps.values()].filter((a) => a.configFile === file && !a.removeWhenStopped);
    const parts = fanIn(apps.length, reply, `${file} forgotten; none of its apps was running`);
    apps.forEach((app, i) => feedApp(core, app, { type: 'stop', remove: true, request: id, waiters: [parts[i]!] }));
  }

  private beginShutdown(reason: string, force: boolean): void {
    const core = this.core;
    if (!core.shuttingDown) core.notify({ type: 'master-stopping', reason });
    core.shuttingDown = true;
    this.abort.abort();
    for (const r of this.parked?.splice(0) ?? []) r.reply(failed('E_SHUTTING_DOWN', 'the master is shutting down'));
    this.parked = null;
    for (const f of core.files.values()) cancelLoads(core, f, 'E_SHUTTING_DOWN', 'the master is shutting down');
    for (const app of core.apps.values()) {
      feedApp(core, app, { type: 'shutdown' });
      if (force) for (const w of app.workers) if (w.state !== 'exited' && w.state !== 'stopping') killWorker(core, w, 'shutdown');
    }
    this.reconcileAll();
  }

  private reconcileAll(): void {
    for (const app of [...this.core.apps.values()]) {
      for (const w of app.workers.filter((x) => x.state === 'exited')) forgetWorker(this.core, app, w);
      reconcileApp(this.core, app);
    }
    kickWaitingLoads(this.core, this.ctx);
    if (this.core.shuttingDown && !this.stopped && [...this.core.apps.values()].every((a) => a.state === 'stopped')) {
      this.stopped = true;
      this.core.notify({ type: 'master-stopped' });
      for (const resolve of this.stoppedWaiters.splice(0)) resolve();
    }
  }
}
