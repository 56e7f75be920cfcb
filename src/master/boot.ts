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
import type { OutcomeReport } from './app-runtime.js';
import { reapLeftovers, recordWorkerPids } from '../runtime/worker-pids.js';
import { spawnContext } from '../worker/spawn-context.js';
import { watchConfigFiles, type AttachmentLog } from './config-watch.js';
import { watchApps } from './app-watch.js';
import { attachAppLogs } from './app-logs.js';
import { ListenerRegistry } from './listeners.js';
import { attachMetrics } from '../metrics/attach.js';
import { someAppRuns, watchForIdle } from './exit-when-idle.js';

// Where log lines go: the terminal for `run`, the master log file for the daemon.
export interface LogSink {
  write(stream: 'stdout' | 'stderr', text: string): void;
  reopen?(): void;
}

// How long leftover workers of a crashed master get to finish before SIGKILL.
const LEFTOVER_GRACE_MS = 5_000;

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
  readonly started: OutcomeReport;
  // Resolves once the master stopped and every attachment is closed.
  readonly done: Promise<void>;
  // Why the master stopped by itself (start failed, every app fatal), or null.
  failure(): string | null;
}

// Boots a master on `opts.configFile`; resolves once the first start settled.
export async function bootMaster(opts: BootOptions): Promise<BootedMaster> {
  const listeners = new ListenerRegistry();
  const master = new Master(realEffects(spawnContext({ listenFds: (app) => listeners.fds(app) })), { insecureConfig: opts.insecureConfig ?? false });
  master.setBeforeApply((config, app) => listeners.prepare(config, app));
  const print = (notice: MasterNotice) => {
    const line = formatNotice(notice, opts.jsonLogs);
    if (line) opts.sink.write(line.stream, line.text);
  };
  // What attachments have to say goes to the same log, in the same format.
  const log: AttachmentLog = (level, message) => print({ type: 'log', level, message });
  master.observe((notice) => {
    if (notice.type !== 'worker-output' || opts.echoWorkerOutput !== false) print(notice);
  });
  const attachments: Attachment[] = [{ stop: () => listeners.closeAll() }];
  // Per-app log files and the `logs` verb.
  const appLogs = attachAppLogs(master, opts.home.logs, { json: opts.jsonLogs, warn: (message) => log('warn', message), dropped: (app, stream, n) => metrics.collector.own.linesDropped(app, stream, n) });
  attachments.push(appLogs);
  // Metrics: the endpoint, supervisor and worker metrics, max_memory_restart.
  const metrics = attachMetrics(master, log);
  attachments.push(metrics.attachment);
  const removeSignals = installSignalHandlers(master, { reopenLogs: () => {
    opts.sink.reopen?.();
    appLogs.reopen();
  } });
  const extraHandlers = Object.assign({}, ...attachments.map((a) => a.handlers ?? {})) as Partial<Record<string, ControlHandler>>;
  const control = await startControlServer(opts.home.socket, controlHandlers(master, extraHandlers));
  // Only the master that owns the socket gets here, so leftovers are a dead master's workers.
  const reaped = await reapLeftovers(opts.home.pids, LEFTOVER_GRACE_MS);
  if (reaped.length) log('warn', `stopped ${reaped.length} leftover worker(s) of a previous master: ${reaped.map((r) => `${r.app}#${r.slot} pid ${r.pid}`).join(', ')}`);
  const stopRecording = recordWorkerPids(master, opts.home.pids);
  // Config watching: reload on file changes, and app `watch` (code changes roll the app).
  const configWatch = watchConfigFiles(master, [opts.configFile], log);
  master.observe((n) => {
    if (n.type === 'config-loaded') configWatch.add(n.file); // also files added later by `start`
  });
  attachments.push(configWatch, watchApps(master, opts.home.dir, log));
  // Failures that stop the master by themselves (see docs/signals.md, "run in a container").
  let failure: string | null = null;
  const fail = (why: string) => {
    failure ??= why;
    master.shutdown(why);
  };
  const stopWatching = opts.exitWhenIdle ? watchForIdle(master, fail) : () => undefined;
  let started = await master.start(opts.configFile, { env: opts.env ?? null });
  const metricsError = await metrics.firstListen;
  if (metricsError) {
    started = { ok: false, message: metricsError.message };
    fail('start failed');
  } else if (!started.ok && !(opts.exitWhenIdle && someAppRuns(await master.status()))) fail('start failed');
  const done = master.whenStopped().then(async () => {
    removeSignals();
    stopWatching();
    stopRecording();
    await control.close();
    for (const a of attachments.reverse()) await a.stop();
  });
  return { master, started, done, failure: () => failure };
}
