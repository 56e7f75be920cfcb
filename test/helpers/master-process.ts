// A real `supervisor run` master in a child process, with its output captured line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI } from './paths.js';
import { waitFor } from './wait.js';
import { tempDir } from './config.js';

// A running foreground master under test.
export interface MasterProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly lines: string[];
  // Waits for an output line matching `re` that appeared after line index `from`.
  waitForLine(re: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  // Counts output lines matching `re`.
  count(re: RegExp): number;
  signal(sig: NodeJS.Signals): void;
  // Resolves with the exit code (or signal) once the master exited.
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Starts `supervisor <args>` (default: run <config>) with an optional env.
// Each master gets its own SUPERVISOR_HOME (a temp dir) unless `env` sets one.
export function startMaster(args: string[], env: NodeJS.ProcessEnv = {}): MasterProcess & { home: string } {
  const home = env.SUPERVISOR_HOME ?? tempDir('gs-home-');
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SUPERVISOR_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (l) => lines.push(l));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    home,
    child,
    pid: child.pid!,
    lines,
    waitForLine: (re, timeoutMs = 10_000, from = 0) =>
      waitFor(`a line matching ${re}\n--- output so far ---\n${lines.slice(-30).join('\n')}`, () => lines.slice(from).find((l) => re.test(l)), timeoutMs),
    count: (re) => lines.filter((l) => re.test(l)).length,
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

// Stops a master with SIGTERM and waits for it; kills it if it does not stop in time.
export async function stopMaster(m: MasterProcess, timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (m.child.exitCode !== null || m.child.signalCode !== null) return m.exited;
  m.signal('SIGTERM');
  const timer = setTimeout(() => m.signal('SIGKILL'), timeoutMs);
  const result = await m.exited;
  clearTimeout(timer);
  return result;
}
