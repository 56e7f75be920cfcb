// The master: one queue, one loop, and the public verbs (start, reload, scale, stop, status)
// that the CLI's control socket and the signal handlers turn into queue events.
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { untrustedReason } from '../config/trust.js';
import type { AppSpec, Config } from '../config/types.js';
import type { OutcomeReport } from './app-runtime.js';
import { targetSpec } from './app-runtime.js';
import { applyConfig, summarize } from './config-apply.js';
import { MasterCore } from './core.js';
import type { MasterEffects } from './effects.js';
import { EventQueue } from './event-queue.js';
import type { MasterEvent } from './master-events.js';
import type { Observer } from './notices.js';
import { failRollouts } from './rollouts.js';
import { reconcileApp } from './run-reconcile.js';
import { onWorkerEvent } from './worker-events.js';
import { statusOf, type StatusReport } from './status.js';
import { forgetWorker, killWorker } from './worker-driver.js';

// Options for a reload or restart request.
export interface ReloadRequest {
  readonly app?: string | null;
  readonly reason?: string;
}

// Master-wide settings that do not come from a config file.
export interface MasterOptions {
  // Accept config files others could write (sshd's StrictModes off).
  readonly insecureConfig?: boolean;
}

// Runs between loading a config and applying it (binding listening sockets before any
// worker spawns); a rejection fails the load with its message and applies nothing.
export type BeforeApply = (config: Config, app: string | null) => Promise<void>;

// A supervisor master. Construct it with real or fake effects, then call start().
export class Master {
  private readonly core: MasterCore;
  private readonly queue: EventQueue<MasterEvent>;
  private readonly stoppedWaiters: (() => void)[] = [];
  private stopped = false;
  // The env_<name> block each config file was started with (`--env`), so reloads re-read it the same way.
  private readonly envNames = new Map<string, string | null>();
  private beforeApply: BeforeApply | null = null;

  constructor(effects: MasterEffects, private readonly options: MasterOptions = {}) {
    this.queue = new EventQueue<MasterEvent>(
      (e) => this.handle(e),
      (error) => this.core.notify({ type: 'log', level: 'error', message: `internal error: ${(error as Error).stack ?? String(error)}` }),
    );
    this.core = new MasterCore(effects, (e) => this.queue.push(e));
  }

  // Subscribes to notices (logs, metrics, tests); returns the unsubscribe function.
  observe(observer: Observer): () => void {
    this.core.observers.push(observer);
    return () => {
      const i = this.core.observers.indexOf(observer);
      if (i >= 0) this.core.observers.splice(i, 1);
    };
  }

  // Sets the hook that runs before each loaded config is applied (boot's listeners).
  setBeforeApply(hook: BeforeApply): void {
    this.beforeApply = hook;
  }

  // Loads a config file and starts (or updates) its apps; settles when they are ready.
  start(file: string, opts: { readonly env?: string | null } = {}): Promise<OutcomeReport> {
    this.envNames.set(file, opts.env ?? null);
    return this.request((reply) => ({ type: 'load', file, rollUnchanged: false, app: null, mode: 'rolling', reason: 'start', reply }));
  }

  // Re-reads every config file and rolls its apps (all, or one): the path SIGHUP takes.
  reload(req: ReloadRequest = {}): Promise<OutcomeReport> {
    return this.rollAll(req, 'rolling', req.reason ?? 'reload');
  }

  // Like reload, but all at once instead of rolling.
  restart(req: ReloadRequest = {}): Promise<OutcomeReport> {
    return this.rollAll(req, 'restart', req.reason ?? 'restart');
  }

  // Re-reads one config file after it changed on disk; rolls only what changed.
  configChanged(file: string): Promise<OutcomeReport> {
    return this.request((reply) => ({ type: 'load', file, rollUnchanged: false, app: null, mode: 'rolling', reason: 'config file changed', reply }));
  }

  // Sets an app's worker count without touching the other workers.
  scale(app: string, instances: number): Promise<OutcomeReport> {
    return this.request((reply) => ({ type: 'scale', app, instances, reply }));
  }

  // Stops one app gracefully, or (with null) every app and then the master.
  stop(app: string | null): Promise<OutcomeReport> {
    return this.request((reply) => ({ type: 'stop', app, reply }));
  }

  // Replaces one worker in place, the new one first (memory limit, watch).
  replaceWorker(app: string, slot: number, reason: 'memory' | 'watch'): Promise<OutcomeReport> {
    return this.request((reply) => ({ type: 'replace', app, slot, reason, reply }));
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
        .filter((a) => a.status !== 'stopped' && a.status !== 'stopping' && a.specs.has(a.generation))
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
  sendToWorker(key: string, message: Parameters<NonNullable<import('./effects.js').WorkerHandle['send']>>[0]): boolean {
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

  // The names of every app the master runs, for the logs verb.
  appNames(): string[] {
    return [...this.core.apps.keys()];
  }

  // Resolves when the queue has nothing left to do (tests with a fake clock use it).
  idle(): Promise<void> {
    return this.queue.whenIdle();
  }

  // When the loop last finished an event (for /healthz).
  get lastTurnAt(): number {
    return this.queue.lastTurnAt;
  }

  private rollAll(req: ReloadRequest, mode: 'rolling' | 'restart', reason: string): Promise<OutcomeReport> {
    const files = new Set([...this.core.configs.keys()]);
    if (req.app) {
      const app = this.core.apps.get(req.app);
      if (!app) return Promise.resolve({ ok: false, message: `unknown app "${req.app}"` });
      files.clear();
      files.add(app.configFile);
    }
    if (files.size === 0) return Promise.resolve({ ok: false, message: 'no config loaded' });
    const runs = [...files].map((file) =>
      this.request((reply) => ({ type: 'load', file, rollUnchanged: true, app: req.app ?? null, mode, reason, reply })),
    );
    return Promise.all(runs).then((rs) => ({ ok: rs.every((r) => r.ok), message: rs.map((r) => r.message).join('\n') }));
  }

  private request(make: (reply: (r: OutcomeReport) => void) => MasterEvent): Promise<OutcomeReport> {
    return new Promise((resolve) => this.queue.push(make(resolve)));
  }

  private async handle(e: MasterEvent): Promise<void> {
    const core = this.core;
    switch (e.type) {
      case 'load':
        if (core.shuttingDown) return e.reply({ ok: false, message: 'the master is shutting down' });
        return this.load(e);
      case 'scale': {
        const app = core.apps.get(e.app);
        if (!app || app.removeWhenStopped) return e.reply({ ok: false, message: `unknown app "${e.app}"` });
        const from = app.instances;
        app.instances = e.instances;
        core.notify({ type: 'app-scaled', app: app.name, from, to: e.instances });
        this.reconcileAll();
        return e.reply({ ok: true, message: `${app.name}: scaled from ${from} to ${e.instances}` });
      }
      case 'stop': {
        if (e.app === null) {
          this.stoppedWaiters.push(() => e.reply({ ok: true, message: 'master stopped' }));
          return this.beginShutdown('stop requested', false);
        }
        const app = core.apps.get(e.app);
        if (!app) return e.reply({ ok: false, message: `unknown app "${e.app}"` });
        if (app.status === 'stopped') return e.reply({ ok: true, message: `${app.name} was already stopped` });
        failRollouts(app, `${app.name} is stopping`);
        app.status = 'stopping';
        app.stopWaiters.push(e.reply);
        return this.reconcileAll();
      }
      case 'replace': {
        const app = core.apps.get(e.app);
        const w = app?.workers.find((x) => x.slot === e.slot && x.generation === app.generation && x.state === 'ready' && x.replacing === null);
        if (!app || !w) return e.reply({ ok: false, message: `no ready worker ${e.app}#${e.slot}` });
        w.replacing = e.reason;
        core.notify({ type: 'worker-restart-scheduled', worker: core.ref(w), delayMs: 0, reason: e.reason });
        this.reconcileAll();
        return e.reply({ ok: true, message: `${app.name}#${e.slot}: replacing (${e.reason})` });
      }
      case 'shutdown':
        return this.beginShutdown(e.reason, e.force);
      case 'call':
        return e.run();
      case 'worker-message':
      case 'worker-ready-fd':
      case 'worker-exit':
      case 'worker-timer':
        onWorkerEvent(this.core, e);
        return this.reconcileAll();
    }
  }

  private async load(e: Extract<MasterEvent, { type: 'load' }>): Promise<void> {
    const core = this.core;
    let config;
    try {
      const distrust = this.options.insecureConfig ? null : untrustedReason(e.file);
      if (distrust) throw new ConfigError(e.file, [{ path: '', message: `refusing this config: ${distrust}. Pass --insecure-config to accept it anyway` }]);
      config = await loadConfig(e.file, { env: this.envNames.get(e.file) ?? null });
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : `${e.file}: ${(error as Error).message}`;
      core.configs.set(e.file, { file: e.file, ok: false, error: message, loadedAt: core.effects.now() });
      core.notify({ type: 'config-failed', file: e.file, error: message });
      return e.reply({ ok: false, message });
    }
    core.configs.set(config.file, { file: config.file, ok: true, error: null, loadedAt: core.effects.now() });
    core.notify({ type: 'config-loaded', file: config.file, summary: summarize(config), config });
    for (const w of config.warnings ?? []) core.notify({ type: 'log', level: 'warn', message: `config ${config.file}: ${w.path}: ${w.message}` });
    if (e.app !== null && !config.apps.some((a) => a.name === e.app)) {
      return e.reply({ ok: false, message: `app "${e.app}" is not in ${config.file}` });
    }
    try {
      await this.beforeApply?.(config, e.app);
    } catch (error) {
      core.notify({ type: 'log', level: 'error', message: (error as Error).message });
      return e.reply({ ok: false, message: (error as Error).message });
    }
    void applyConfig(core, config, { rollUnchanged: e.rollUnchanged, app: e.app, mode: e.mode, reason: e.reason }).then(e.reply);
    this.reconcileAll();
  }

  private beginShutdown(reason: string, force: boolean): void {
    const core = this.core;
    if (!core.shuttingDown) core.notify({ type: 'master-stopping', reason });
    core.shuttingDown = true;
    for (const app of core.apps.values()) {
      failRollouts(app, 'the master is shutting down');
      if (app.status !== 'stopped') app.status = 'stopping';
      if (force) for (const w of app.workers) if (w.state !== 'exited' && w.state !== 'stopping') killWorker(core, w, 'shutdown');
    }
    this.reconcileAll();
  }

  private reconcileAll(): void {
    for (const app of [...this.core.apps.values()]) {
      for (const w of app.workers.filter((x) => x.state === 'exited')) forgetWorker(this.core, app, w);
      reconcileApp(this.core, app);
    }
    if (this.core.shuttingDown && !this.stopped && [...this.core.apps.values()].every((a) => a.status === 'stopped')) {
      this.stopped = true;
      this.core.notify({ type: 'master-stopped' });
      for (const done of this.stoppedWaiters.splice(0)) done();
    }
  }
}
