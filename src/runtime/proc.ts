// What /proc tells about another process: whether it lives, and whether it is one of our masters.
import { readFileSync } from 'node:fs';

// True when `pid` exists and is not a zombie.
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

// The argv of a process, or [] when it is gone or unreadable.
export function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

// The argv words that make a `supervisor` process a master (foreground or daemon).
export const MASTER_VERBS: readonly string[] = ['run', 'master-daemon'];

// True when `pid` runs our CLI as a master: its argv has the CLI entry followed by a master verb.
export function isSupervisorMaster(pid: number): boolean {
  const argv = argvOf(pid);
  const entry = argv.findIndex((a) => /(^|\/)(cli\/main\.js|supervisor)$/.test(a));
  return entry >= 0 && MASTER_VERBS.includes(argv[entry + 1] ?? '');
}


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
