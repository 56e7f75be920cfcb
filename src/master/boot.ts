// Builds a running master out of its parts: the Master, the logger, the signal handlers,
// the control socket, and the attachments (metrics endpoint, config watcher, listeners).
// `supervisor run` and the daemon both boot through here, so they behave the same.
import { Master } from './master.js';
import { realEffects } from './real-effects.js';
import { installSignalHandlers } from './signals.js';
import { formatNotice } from './log-lines.js';
import { controlHandlers } from './control-handlers.js';
import { startControlServer, type ControlHandler } from './control-server.js';
import type { HomePaths } from '../runtime/home.js';
import type { OutcomeReport } from './app-runtime.js';
import { someAppRuns, watchForIdle } from './exit-when-idle.js';

// Where log lines go: the terminal for `run`, the master log file for the daemon.
export interface LogSink {
  write(stream: 'stdout' | 'stderr', text: string): void;
  reopen?(): void;
}

// Options for booting a master.
export interface BootOptions {
  readonly configFile: string;
  readonly home: HomePaths;
  readonly jsonLogs: boolean;
  readonly sink: LogSink;
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
  const master = new Master(realEffects({ listenFds: () => ({ fds: [], names: [] }), uidGid: () => ({}) }));
  master.observe((notice) => {
    const line = formatNotice(notice, opts.jsonLogs);
    if (line) opts.sink.write(line.stream, line.text);
  });
  const attachments: Attachment[] = [];
  const removeSignals = installSignalHandlers(master, { reopenLogs: () => opts.sink.reopen?.() });
  const extraHandlers = Object.assign({}, ...attachments.map((a) => a.handlers ?? {})) as Partial<Record<string, ControlHandler>>;
  const control = await startControlServer(opts.home.socket, controlHandlers(master, extraHandlers));
  // Failures that stop the master by themselves (see docs/signals.md, "run in a container").
  let failure: string | null = null;
  const fail = (why: string) => {
    failure ??= why;
    master.shutdown(why);
  };
  const stopWatching = opts.exitWhenIdle ? watchForIdle(master, fail) : () => undefined;
  const started = await master.start(opts.configFile);
  if (!started.ok && !(opts.exitWhenIdle && someAppRuns(await master.status()))) fail('start failed');
  const done = master.whenStopped().then(async () => {
    removeSignals();
    stopWatching();
    await control.close();
    for (const a of attachments.reverse()) await a.stop();
  });
  return { master, started, done, failure: () => failure };
}
