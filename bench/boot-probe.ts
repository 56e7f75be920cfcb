// Times a worker's boot from spawn to ready: the child is spawned with SUPERVISOR_READY_FD=3
// (the SDK's readiness fd when there is no IPC channel) and the clock stops at its newline.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

// Spawns `file args` and resolves with the ms until it wrote a newline on fd 3 (then kills it),
// or until it exited when `untilExit`. Rejects after `deadlineMs`.
export function bootTime(file: string, args: readonly string[], env: NodeJS.ProcessEnv, untilExit = false, deadlineMs = 20_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(file, args, { env: { ...env, SUPERVISOR_READY_FD: '3' }, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ${args.join(' ')}: not ready within ${deadlineMs} ms`));
    }, deadlineMs);
    const done = (ms: number) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(ms);
    };
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    if (untilExit) child.on('exit', () => done(elapsed()));
    else {
      (child.stdio[3] as Readable).on('data', () => done(elapsed()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${file} ${args.join(' ')} exited ${code} before it was ready`));
      });
    }
  });
}
