// Builds a running master out of its parts: the Master, the logger, the signal handlers,
// the control socket, and the attachments (metrics endpoint, config watcher, listeners).
// `supervisor run` and the daemon both boot through here, so they behave the same.
import { Master } from './master.js';
import { realEffects } from './real-effects.js';
import { installSignalHandlers } from './signals.js';
import { formatNotice } from './log-lines.js';
import type { MasterNotice } from './notices.js';
import { controlHandlers } from './control-handlers.js';
import { startControlServer, type ControlHandler } from './control-server.js';
import type { HomePaths } from '../runtime/home.js';
import type { Config } from '../config/types.js';
import { failed, type Outcome } from './outcome.js';
import { reapLeftovers, type Reaped } from '../runtime/worker-pids.js';
import { ProcessGroups } from '../worker/process-groups.js';
import { GroupKeeper } from '../worker/group-keeper.js';
import { spawnContext } from '../worker/spawn-context.js';
import { watchConfigFiles, type AttachmentLog } from './config-watch.js';
import { watchApps } from './app-watch.js';
import { appLogPath, attachAppLogs } from './app-logs.js';
import { RecentLines, withMasterOutput, type MasterOutput } from './master-output.js';
import { followRequest } from './request-progress.js';
import { cronRestarts } from './cron-restart.js';
import { describeHandler } from './describe.js';
import { ListenerRegistry } from './listeners.js';
import { attachMetrics, type InheritedEndpoint } from '../metrics/attach.js';
import { someAppRuns, watchForIdle } from './exit-when-idle.js';
import type { HandedSocket } from '../protocol/upgrade.js';
import { Upgrader, type UpgradeSettings } from './upgrade.js';
import { installedEntry, installedVersion, RUNNING_VERSION } from '../runtime/versions.js';
import type { MasterVersions } from './status.js';

// Where log lines go: the terminal for `run`, the master log file for the daemon.
export interface LogSink {
  write(stream: 'stdout' | 'stderr', text: string): void;
  reopen?(): void;
}

// The log line about what a dead master left behind, or null when it left nothing.
function leftoversText(reaped: readonly Reaped[]): string | null {
  const workers = reaped.filter((r) => r.worker).map((r) => `${r.record.app}#${r.record.slot} pid ${r.record.pid}`);
  const others = reaped.reduce((n, r) => n + r.others, 0);
  if (workers.length === 0 && others === 0) return null;
  const what = workers.length ? `${workers.length} leftover worker(s) of a previous master: ${workers.join(', ')}` : 'no leftover worker of a previous master';
  return `stopped ${what}${others ? `; and ${others} process(es) left in their groups` : ''}`;
}

// Options for booting a master.
export interface BootOptions {
  readonly configFile: string;
  readonly home: HomePaths;
  readonly jsonLogs: boolean;
  readonly sink: LogSink;
  readonly insecureConfig?: boolean;
  // The env_<name> block to merge over env (`--env <name>`), kept for every reload.
  readonly env?: string | null;
  // False when worker lines go only to the app log files, not to the sink (the daemon).
  readonly echoWorkerOutput?: boolean;
  // Stop with a failure once every app is fatal; a start where some app runs is not a failure.
  readonly exitWhenIdle?: boolean;
  // The config file, already read (`run` and the daemon read it before booting; not read twice).
  readonly preloaded?: Config;
  // --watch-config / --no-watch-config: overrides every file's watch_config; null lets each file decide.
  readonly watchConfig?: boolean | null;
  // Gets the log lines of the first start as they happen (the daemon forwards them to `start`).
  readonly progress?: (line: string) => void;
  // The file the sink writes to (the daemon's master log); absent for a terminal (`run`).
  readonly masterLogFile?: string;
  // The daemon's umask: a daemon can be upgraded (`supervisor upgrade`); `run` cannot.
  readonly daemonUmask?: number;
  // This master replaces a live one (an upgrade): it takes these sockets, listens beside the
  // control socket until takeOver(), leaves the old master's workers alone and records its
  // own in `recordsFile`.
  readonly replacing?: { readonly from: number; readonly sockets: readonly HandedSocket[]; readonly metrics: InheritedEndpoint | null; readonly recordsFile: string };
}

// Something started alongside the master and stopped after it.
export interface Attachment {
  // Extra control verbs this attachment answers.
  readonly handlers?: Partial<Record<string, ControlHandler>>;
  stop(): Promise<void> | void;
}

// A booted master: wait for it to stop, then everything it started is closed.
export interface BootedMaster {
  readonly master: Master;
  readonly started: Outcome;
  // Resolves once the master stopped and every attachment is closed.
  readonly done: Promise<void>;
  // Why the master stopped by itself (start failed, every app fatal), or null.
  failure(): string | null;
  // A replacing master becomes the one clients reach: its control socket moves onto the path.
  takeOver(): void;
}

// The running version and the installed one, for `status`.
function versions(): MasterVersions {
  let installed: string;
  try {
    installed = installedVersion(installedEntry());
  } catch {
    installed = 'unknown';
  }
  return { pid: process.pid, version: RUNNING_VERSION, installed };
}

// Boots a master on `opts.configFile`; resolves once the first start settled.
export async function bootMaster(opts: BootOptions): Promise<BootedMaster> {
  const listeners = new ListenerRegistry();
  if (opts.replacing) listeners.adopt(opts.replacing.sockets);
  const groups = new ProcessGroups((message) => log('warn', message));
  const master: Master = new Master(realEffects(spawnContext({ listenFds: (app) => listeners.fds(app), groups, cluster: listeners, compileCacheRoot: `${opts.home.dir}/compile-cache` })), {
    insecureConfig: opts.insecureConfig ?? false,
    binder: listeners,
    errorLogOf: (app) => appLogPath(master, opts.home.logs, app, 'stderr'),
  });
  // `run` prints to a terminal: `supervisor logs` gets its last lines from here.
  const recent = opts.masterLogFile === undefined ? new RecentLines() : null;
  const print = (notice: MasterNotice) => {
    const line = formatNotice(notice, opts.jsonLogs);
    if (!line) return;
    opts.sink.write(line.stream, line.text);
    if (notice.type !== 'worker-output') recent?.push(line.text);
  };
  // What attachments have to say goes to the same log, in the same format.
  const log: AttachmentLog = (level, message) => print({ type: 'log', level, message });
  master.observe((notice) => {
    if (notice.type !== 'worker-output' || opts.echoWorkerOutput !== false) print(notice);
  });
  const attachments: Attachment[] = [{ stop: () => listeners.closeAll() }];
  master.observe((n) => n.type === 'app-stopped' && listeners.releaseCluster(n.app));
  // Per-app log files and the `logs` verb.
  const appLogs = attachAppLogs(master, opts.home.logs, { json: opts.jsonLogs, warn: (message) => log('warn', message), dropped: (app, stream, n) => metrics.collector.own.linesDropped(app, stream, n) });
  attachments.push(appLogs);
  // `describe <app>`: the spec, workers, last exit and log files of one app.
  const describe = describeHandler(master, opts.home.logs);
  attachments.push({ handlers: { describe: describe.handler }, stop: describe.stop });
  // Metrics: the endpoint, supervisor and worker metrics, max_memory_restart.
  const metrics = attachMetrics(master, log, opts.replacing?.metrics ?? null);
  attachments.push(metrics.attachment);
  // `supervisor upgrade` and SIGUSR2: a new master takes over; this one finishes and exits.
  let handedOverTo: number | null = null;
  const settings: UpgradeSettings | null = opts.daemonUmask === undefined ? null : {
    home: opts.home, umask: opts.daemonUmask, jsonLogs: opts.jsonLogs, insecureConfig: opts.insecureConfig ?? false, watchConfig: opts.watchConfig ?? null,
  };
  const upgrader = new Upgrader({ master, listeners, settings, log, handedOver: (pid) => (handedOverTo = pid), metricsSocket: () => metrics.handOut() });
  if (opts.replacing) upgrader.holdWhileTakingOver(opts.replacing.from);
  attachments.push({
    handlers: { upgrade: async (_req, progress) => {
      const outcome = await upgrader.run(progress);
      return outcome.ok ? { ok: true, message: outcome.message, data: { pid: handedOverTo, from: process.pid } } : outcome;
    } },
    stop: () => undefined,
  });
  const removeSignals = installSignalHandlers(master, {
    reopenLogs: () => {
      opts.sink.reopen?.();
      appLogs.reopen();
    },
    upgrade: () => void upgrader.run((line) => log('info', `upgrade: ${line}`)),
  });
  const extraHandlers = Object.assign({}, ...attachments.map((a) => a.handlers ?? {})) as Partial<Record<string, ControlHandler>>;
  const output = (): MasterOutput => (recent ? { terminal: true, pid: process.pid, recent: recent.all() } : { file: opts.masterLogFile! });
  if (extraHandlers.logs) extraHandlers.logs = withMasterOutput(extraHandlers.logs, output);
  const handlers = upgrader.guard(controlHandlers(master, extraHandlers, () => ({ metrics: metrics.status(), master: versions() })));
  const control = await startControlServer(opts.home.socket, handlers, { warn: (message) => log('warn', message), replace: opts.replacing !== undefined });
  // Only the master that owns the socket gets here, so leftovers are a dead master's workers;
  // a replacing master's old one is alive and stops its workers itself.
  if (!opts.replacing) {
    try {
      const left = leftoversText(await reapLeftovers(opts.home.pids));
      if (left) log('warn', left);
    } catch (error) {
      log('warn', `not stopping what a previous master may have left: ${(error as Error).message}`);
    }
  }
  groups.attach(opts.replacing?.recordsFile ?? opts.home.pids, new GroupKeeper(() => groups.records(), (message) => log('warn', message)));
  // Config watching (a file's watch_config, or --watch-config for all): reload on file
  // changes; and app `watch` (code changes roll the app).
  const configWatch = watchConfigFiles(master, [], log);
  master.observe((n) => {
    if (n.type === 'config-loaded') {
      // Also files added later by `start`; a reload that turns the key off stops watching.
      if (opts.watchConfig ?? n.config.watchConfig) configWatch.add(n.file);
      else configWatch.remove(n.file);
    }
    if (n.type === 'config-forgotten') configWatch.remove(n.file);
  });
  attachments.push(configWatch, watchApps(master, opts.home.dir, log), cronRestarts(master, log));
  // Failures that stop the master by themselves (see docs/signals.md, "run in a container").
  let failure: string | null = null;
  const fail = (why: string) => {
    failure ??= why;
    master.shutdown(why);
  };
  const stopWatching = opts.exitWhenIdle ? watchForIdle(master, fail) : () => undefined;
  const request = master.newRequestId();
  const stopFollowing = opts.progress ? followRequest(master, request, opts.progress) : () => undefined;
  let started = await master.start(opts.configFile, { env: opts.env ?? null, request, ...(opts.preloaded ? { preloaded: opts.preloaded } : {}) });
  stopFollowing();
  const metricsError = await metrics.firstListen;
  if (metricsError) {
    started = failed('E_BIND', metricsError.message);
    fail('start failed');
  } else if (!started.ok && !(opts.exitWhenIdle && someAppRuns(await master.status()))) fail('start failed');
  const done = master.whenStopped().then(async () => {
    removeSignals();
    stopWatching();
    await groups.stop();
    // Handed over: the path is the new master's; this one's socket dies with the process.
    if (handedOverTo === null) await control.close();
    else control.abandon();
    for (const a of attachments.reverse()) await a.stop();
  });
  const takeOver = () => {
    control.publish();
    upgrader.holdWhileTakingOver(null);
  };
  return { master, started, done, failure: () => failure, takeOver };
}
