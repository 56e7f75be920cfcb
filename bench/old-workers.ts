// When the last old worker is gone: a supervisor's workers are its master's (daemon's) child
// processes; snapshot them before a reload command, then poll until none of them is alive.
// Shell children are left out: our master's process-group keeper (src/worker/group-keeper.ts)
// is a long-lived `sh`, and no worker of the benchmarks is one.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// The pids of `pid`'s child processes but shells (all its threads' children), from /proc.
export function childPids(pid: number): number[] {
  try {
    const all = readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    return all.filter((child) => commOf(child) !== 'sh');
  } catch {
    return [];
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    // A zombie is gone for this purpose: it serves nothing and only waits to be reaped.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

// Resolves with the ms from `since` (a performance.now() time) until none of `pids` is alive,
// or with NaN after `deadlineMs`.
export async function allGone(pids: readonly number[], since: number, deadlineMs = 60_000): Promise<number> {
  while (pids.some(alive)) {
    if (performance.now() - since > deadlineMs) return NaN;
    await sleep(10);
  }
  return performance.now() - since;
}
