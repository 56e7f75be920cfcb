// Running the real `supervisor` CLI as a child process and collecting what it printed.
import { CLI } from './paths.js';
import { scratch } from './harness.js';
import { spawnInTest, signalGroup } from './spawn.js';
import { refuseFixedPorts } from './fixed-ports.js';

// What one CLI run printed and exited with.
export interface CliResult { readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly pid: number }

// Runs `supervisor <args>` with SUPERVISOR_HOME=`home` in the test's temp dir; resolves when
// it exits. Past `timeoutMs` its process group is killed (code null). With `uid`, runs as
// that user (and group) instead, for permission tests; with `entry`, runs that CLI instead of ours.
export function cli(home: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000, uid?: number, entry = CLI): Promise<CliResult> {
  refuseFixedPorts(args);
  return new Promise((resolve) => {
    const child = spawnInTest(process.execPath, [entry, ...args], {
      env: { ...process.env, SUPERVISOR_HOME: home, ...env },
      cwd: scratch(),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[cli helper: killed after ${timeoutMs} ms]`;
      signalGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, pid: child.pid ?? -1 });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, pid: child.pid ?? -1 });
    });
  });
}
