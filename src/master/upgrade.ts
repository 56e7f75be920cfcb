// The old master's half of `supervisor upgrade` (and SIGUSR2): start the master of the
// installed package with every listening socket passed at spawn and the config files it
// must run; wait until it reports every app ready; then hand it the control socket and the
// pidfile, and finish this master's workers and exit. If the new master fails or is not
// ready in time, it is stopped and this master goes on, unchanged (nginx's rollback).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { DAEMON_VERB, ENV_DAEMON } from '../protocol/daemon.js';
import { ENV_UPGRADE, isUpgradeMessage, type HandedSocket, type Handoff, type UpgradeMessage } from '../protocol/upgrade.js';
import { MASTER_NODE_FLAGS } from '../runtime/master-flags.js';
import { installedEntry, installedVersion, RUNNING_VERSION } from '../runtime/versions.js';
import type { HomePaths } from '../runtime/home.js';
import type { ListenerRegistry } from './listeners.js';
import type { InheritedEndpoint } from '../metrics/attach.js';
import type { Master } from './master.js';
import { done, failed, type Outcome } from './outcome.js';
import type { ControlHandler } from './control-server.js';

// How long the new master may take to run every app (its workers' boot included).
export const UPGRADE_READY_MS = 120_000;
// How long the new master may take to publish the control socket and the pidfile.
const TAKE_OVER_MS = 10_000;
// How long a new master that failed may take to stop what it started.
const STOP_NEW_MS = 60_000;
// The first fd of the sockets in the new master (0-2 stdio, 3 the channel to this master).
const FIRST_SOCKET_FD = 4;

// The daemon settings the new master starts with (the old one's).
export interface UpgradeSettings {
  readonly home: HomePaths;
  readonly umask: number;
  readonly jsonLogs: boolean;
  readonly insecureConfig: boolean;
  readonly watchConfig: boolean | null;
}

// What the upgrader needs of its master.
export interface UpgradeContext {
  readonly master: Master;
  readonly listeners: ListenerRegistry;
  // The metrics endpoint's socket, passed like the others.
  readonly metricsSocket: () => Promise<InheritedEndpoint | null>;
  // Null under `supervisor run`: the pid must not change there, so there is no upgrade.
  readonly settings: UpgradeSettings | null;
  // This master hands over: it must not close the control socket (its path is the new one's).
  readonly handedOver: (pid: number) => void;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

// Why `upgrade` is refused under `supervisor run` (docs/protocols.md, "Upgrading the master").
export const RUN_REFUSAL = 'this master runs in the foreground ("supervisor run"), whose pid must stay the same (a container\'s entrypoint, systemd Type=exec): an in-place re-exec cannot keep its workers (Node cannot wait for children it did not spawn) nor promise 0 failed requests, so it is not done (docs/protocols.md, "Upgrading the master"). Restart the container or unit with the new version, or run the master with "supervisor start"';

// Runs upgrades one at a time.
export class Upgrader {
  private running = false;
  private finished = false;
  // A master that is itself taking over from another may not start a third one yet.
  private takingOverFrom: number | null = null;

  constructor(private readonly ctx: UpgradeContext) {}

  // `start` and `forget` change which files run: refused while a new master is being given the list.
  guard(handlers: Partial<Record<string, ControlHandler>>): Partial<Record<string, ControlHandler>> {
    const guarded = { ...handlers };
    for (const verb of ['start', 'forget']) {
      const handler = handlers[verb];
      if (!handler) continue;
      guarded[verb] = (req, progress) => (this.running
        ? Promise.resolve({ ok: false, code: 'E_BUSY', message: `an upgrade is under way: ${verb} would not reach the new master; try again once it is over` })
        : handler(req, progress));
    }
    return guarded;
  }

  // Refuses upgrades until released: this master is still taking over from `pid`.
  holdWhileTakingOver(pid: number | null): void {
    this.takingOverFrom = pid;
  }

  // One upgrade; `progress` gets the new master's start lines.
  async run(progress: (line: string) => void): Promise<Outcome> {
    const refusal = this.refusal();
    if (refusal) {
      this.ctx.log('warn', `upgrade: ${refusal.message}`);
      return refusal;
    }
    this.running = true;
    try {
      return await this.upgrade(this.ctx.settings!, progress);
    } finally {
      this.running = false;
    }
  }

  private refusal(): Outcome | null {
    if (this.ctx.settings === null) return failed('E_UPGRADE', `upgrade refused: ${RUN_REFUSAL}`);
    if (this.finished) return failed('E_SHUTTING_DOWN', 'this master has been upgraded already and is finishing its workers');
    if (this.takingOverFrom !== null) return failed('E_BUSY', `this master is still taking over from pid ${this.takingOverFrom}; try again once it has`);
    if (this.running) return failed('E_BUSY', 'an upgrade is already under way');
    return null;
  }

  private async upgrade(settings: UpgradeSettings, progress: (line: string) => void): Promise<Outcome> {
    const { master, listeners, log } = this.ctx;
    const configs = await master.configFiles();
    if (configs.length === 0) return failed('E_CONFIG', 'no config loaded: nothing to upgrade');
    let entry: string;
    try {
      entry = installedEntry();
    } catch (error) {
      return failed('E_UPGRADE', `upgrade: cannot find the installed supervisor: ${(error as Error).message}`);
    }
    const target = installedVersion(entry);
    const held = listeners.handOut();
    const sockets: HandedSocket[] = held.map((h, i) => ({ ...h.socket, fd: FIRST_SOCKET_FD + i }));
    const endpoint = await this.ctx.metricsSocket();
    const metrics = endpoint && { ...endpoint, fd: FIRST_SOCKET_FD + held.length };
    const apps = (await master.status()).apps;
    const stopped = apps.filter((a) => a.state === 'stopped' || a.state === 'stopping').map((a) => a.name);
    const scaled = apps.filter((a) => a.instances !== a.file_instances && !stopped.includes(a.name)).map((a) => ({ app: a.name, instances: a.instances }));
    const handoff: Handoff = { v: 1, from: process.pid, fromVersion: RUNNING_VERSION, sockets, configs, scaled, stopped, metrics };
    const first = configs[0]!;
    const args = [...MASTER_NODE_FLAGS, entry, DAEMON_VERB, first.file, '--home', settings.home.dir, '--umask', settings.umask.toString(8)];
    if (settings.jsonLogs) args.push('--json-logs');
    if (first.env) args.push('--env', first.env);
    if (settings.insecureConfig) args.push('--insecure-config');
    if (settings.watchConfig !== null) args.push(settings.watchConfig ? '--watch-config' : '--no-watch-config');
    log('info', `upgrade: starting the master of version ${target} (${entry}) with ${sockets.length} listening socket(s) and ${configs.length} config file(s); this master (version ${RUNNING_VERSION}) keeps serving until it is ready`);
    let child: ChildProcess;
    try {
      const stdio: StdioOptions = ['ignore', 1, 2, 'ipc', ...held.map((h) => h.fd), ...(endpoint ? [endpoint.fd] : [])];
      child = spawn(process.execPath, args, { detached: true, stdio, env: { ...process.env, [ENV_DAEMON]: '1', [ENV_UPGRADE]: JSON.stringify(handoff) } });
    } catch (error) {
      return failed('E_UPGRADE', `upgrade: cannot start the new master: ${(error as Error).message}`);
    }
    const channel = new Channel(child, progress);
    const ready = await channel.next('supervisor:upgrade-ready', UPGRADE_READY_MS);
    if (ready.type !== 'supervisor:upgrade-ready') return this.rollBack(child, whyNot(ready));
    channel.send({ type: 'supervisor:take-over' });
    const took = await channel.next('supervisor:took-over', TAKE_OVER_MS);
    if (took.type !== 'supervisor:took-over') return this.rollBack(child, whyNot(took));
    this.finished = true;
    listeners.handOver();
    this.ctx.handedOver(ready.pid);
    channel.release();
    const message = `master pid ${ready.pid} (version ${ready.version}) took over from pid ${process.pid} (version ${RUNNING_VERSION}); the old master finishes its workers and exits`;
    log('info', `upgrade: ${message}`);
    master.shutdown(`upgraded: master pid ${ready.pid} took over`);
    return done(message);
  }

  // Stops a new master that will not take over; this one goes on as before.
  private async rollBack(child: ChildProcess, why: string): Promise<Outcome> {
    const { log } = this.ctx;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // it stops its workers gracefully, within their kill_timeout
      const gone = await exitWithin(child, STOP_NEW_MS);
      if (!gone) child.kill('SIGKILL');
    }
    // A new master killed before it took over leaves its control socket beside ours.
    if (child.pid !== undefined) rmSync(`${this.ctx.settings!.home.socket}.${child.pid}`, { force: true });
    const message = `nothing changed (this master, pid ${process.pid}, version ${RUNNING_VERSION}, keeps serving): ${why}`;
    log('error', `upgrade failed, ${message}`);
    return failed('E_UPGRADE', message);
  }
}

// Resolves true once `child` exited, false after `ms`.
function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

type Awaited = UpgradeMessage | { readonly type: 'gone'; readonly why: string };

const whyNot = (m: Awaited): string => (m.type === 'gone' ? m.why : `unexpected ${m.type}`);

// The old master's end of the channel to the new one.
class Channel {
  private waiter: ((m: Awaited) => void) | null = null;
  private ended: string | null = null;

  constructor(private readonly child: ChildProcess, progress: (line: string) => void) {
    child.on('message', (raw: unknown) => {
      if (!isUpgradeMessage(raw)) return;
      if (raw.type === 'supervisor:upgrade-progress') return progress(String(raw.line).slice(0, 2000));
      if (raw.type === 'supervisor:upgrade-failed') return this.end(`the new master failed: ${String(raw.message).slice(0, 4000)}`);
      this.waiter?.(raw);
    });
    child.once('error', (error) => this.end(`cannot start the new master: ${error.message}`));
    child.once('exit', (code, signal) => this.end(`the new master exited (${signal ?? `code ${code}`}) before it took over; see the master log`));
  }

  // Waits for a message of `type`; the channel's end or the deadline settle it as 'gone'.
  next(type: UpgradeMessage['type'], ms: number): Promise<Awaited> {
    if (this.ended !== null) return Promise.resolve({ type: 'gone', why: this.ended });
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ type: 'gone', why: `the new master did not report ${type.replace('supervisor:', '')} within ${ms / 1000} s` }), ms);
      const settle = (m: Awaited) => {
        if (m.type !== 'gone' && m.type !== type) return;
        clearTimeout(timer);
        this.waiter = null;
        resolve(m);
      };
      this.waiter = settle;
    });
  }

  send(message: UpgradeMessage): void {
    if (this.child.connected) this.child.send(message, (error) => error && this.end(`cannot reach the new master: ${error.message}`));
  }

  // The new master runs on its own from now on.
  release(): void {
    this.child.removeAllListeners('exit');
    this.child.removeAllListeners('message');
    if (this.child.connected) this.child.disconnect();
    this.child.unref();
  }

  private end(why: string): void {
    if (this.ended !== null) return;
    this.ended = why;
    this.waiter?.({ type: 'gone', why });
  }
}
