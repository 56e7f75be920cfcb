// Running the real `supervisor` CLI as a child process and collecting what it printed.
import { execFile } from 'node:child_process';
import { CLI } from './paths.js';

// What one CLI run printed and exited with.
export interface CliResult { readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly pid: number }

// Runs `supervisor <args>` with SUPERVISOR_HOME=`home`; resolves when it exits.
// With `uid`, runs as that user (and group) instead, for permission tests.
export function cli(home: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000, uid?: number): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, SUPERVISOR_HOME: home, ...env }, timeout: timeoutMs, cwd: '/tmp', ...(uid === undefined ? {} : { uid, gid: uid }) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, pid: child.pid ?? -1 });
    });
  });
}
