// What /proc says about a process: whether it lives, and when it started (to tell a
// recorded pid from a new process that reused the number).
import { readFileSync } from 'node:fs';

// The process start time in clock ticks since boot (field 22 of /proc/PID/stat), or null if gone or a zombie.
export function startTime(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null;
    return Number(fields[19]);
  } catch {
    return null;
  }
}
