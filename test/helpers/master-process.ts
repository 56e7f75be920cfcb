// A real `supervisor run` master in a child process, its output read as JSON log events.
import type { ChildProcess } from 'node:child_process';
import { CLI } from './paths.js';
import { tempDir } from './config.js';
import { testSignal } from './harness.js';
import { spawnInTest, signalGroup } from './spawn.js';
import { refuseFixedPorts } from './fixed-ports.js';
import { OutputLog } from './output-log.js';
import type { EventMatch, LogEvent } from './log-events.js';

// How a master exited.
export interface MasterExit { readonly code: number | null; readonly signal: NodeJS.Signals | null }

// A running foreground master under test.
export interface MasterProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly home: string;
  // Every output line parsed ({ event: "text" } for a line that is not JSON).
  readonly events: readonly LogEvent[];
  // Every output line as the human format prints it (the same index as events).
  readonly lines: readonly string[];
  // Every output line exactly as printed.
  readonly raw: readonly string[];
  // The index the next line will have: pass it as `after` to wait only for later lines.
  mark(): number;
  // Waits for an event whose fields match, e.g. { event: 'reload-done', app: 'jobs', generation: 3 }.
  // Fails at once when the master exits first, showing its output at that moment.
  waitForEvent(match: EventMatch, opts?: { after?: number; timeoutMs?: number }): Promise<LogEvent>;
  // The first event (from index `after`) whose fields match, if any yet.
  findEvent(match: EventMatch, after?: number): LogEvent | undefined;
  // How many events (from index `after`) match.
  countEvents(match: EventMatch, after?: number): number;
  // Waits for a line whose human wording matches `re`: only for tests about the wording.
  waitForLine(re: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  // Counts lines whose human wording matches `re`.
  count(re: RegExp): number;
  // Sends a signal to the master alone.
  signal(sig: NodeJS.Signals): void;
  // Resolves once the master exited and its output was read.
  readonly exited: Promise<MasterExit>;
}

// How to start a test master.
export interface MasterOptions {
  // Human log lines instead of --json-logs (for tests about the wording).
  readonly human?: boolean;
  // Run in a network namespace of its own (lo only), for tests about the default ports.
  readonly netns?: boolean;
  // Run in the network namespace of this (netns) master's pid instead: two masters, one host.
  readonly netnsOf?: number;
}

// Starts `supervisor <args>` (usually ['run', config]) with --json-logs. Each master gets its
// own SUPERVISOR_HOME (a temp dir) unless `env` sets one. The harness kills it when the test ends.
export function startMaster(args: string[], env: NodeJS.ProcessEnv = {}, opts: MasterOptions = {}): MasterProcess {
  if (!opts.netns && opts.netnsOf === undefined) refuseFixedPorts(args);
  const home = env.SUPERVISOR_HOME ?? tempDir('gs-home-');
  const argv = [CLI, ...args, ...(opts.human || args.includes('--json-logs') ? [] : ['--json-logs'])];
  const [command, commandArgs] = opts.netns
    ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...argv]]
    : opts.netnsOf !== undefined
      ? ['nsenter', [`--net=/proc/${opts.netnsOf}/ns/net`, process.execPath, ...argv]]
      : [process.execPath, argv];
  const child = spawnInTest(command, commandArgs, { env: { ...process.env, SUPERVISOR_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new OutputLog(`master pid ${child.pid}`);
  log.follow(child.stdout!);
  log.follow(child.stderr!);
  const signal = testSignal();
  const exited = new Promise<MasterExit>((resolve) => {
    child.once('error', (error) => {
      log.end(`the master could not start: ${error.message}`);
      resolve({ code: null, signal: null });
    });
    // Output is complete at 'close'; a leftover holding the pipes must not delay it long.
    child.once('exit', (code, sig) => {
      const finish = () => {
        log.end(`the master exited (${sig ?? `code ${code}`})`);
        resolve({ code, signal: sig });
      };
      const timer = setTimeout(finish, 2000);
      child.once('close', () => (clearTimeout(timer), finish()));
    });
  });
  return {
    child,
    pid: child.pid!,
    home,
    events: log.events,
    lines: log.lines,
    raw: log.raw,
    mark: () => log.events.length,
    waitForEvent: (match, o = {}) => log.waitForEvent(match, { ...o, signal }),
    findEvent: (match, after) => log.find(match, after),
    countEvents: (match, after) => log.count(match, after),
    waitForLine: (re, timeoutMs, from = 0) => log.waitUntil(`a line matching ${re}`, () => log.lines.slice(from).find((l) => re.test(l)), { timeoutMs, signal }),
    count: (re) => log.lines.filter((l) => re.test(l)).length,
    signal: (sig) => {
      try {
        child.kill(sig);
      } catch {
        // gone
      }
    },
    exited,
  };
}

// Stops a master with SIGTERM and waits for it; kills its group if it does not stop in time.
export async function stopMaster(m: MasterProcess, timeoutMs = 20_000): Promise<MasterExit> {
  if (m.child.exitCode !== null || m.child.signalCode !== null) return m.exited;
  m.signal('SIGTERM');
  const timer = setTimeout(() => signalGroup(m.child, 'SIGKILL'), timeoutMs);
  const result = await m.exited;
  clearTimeout(timer);
  return result;
}
