// What /proc tells about another process: whether it lives, and whether it is one of our masters.
import { readdirSync, readFileSync } from 'node:fs';

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

// What /proc/PID/stat and status say about a process that lives: its group, start time and real uid.
export interface ProcInfo { readonly pid: number; readonly pgrp: number; readonly start: number; readonly uid: number }

// The group and start time of a live (not zombie) process, from /proc/PID/stat.
function statOf(pid: number): { pgrp: number; start: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : { pgrp: Number(fields[2]), start: Number(fields[19]) };
  } catch {
    return null;
  }
}

// The real uid of a process, or null when it is gone.
export function uidOf(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'));
    const uid = Number(line?.split(/\s+/)[1]);
    return Number.isInteger(uid) ? uid : null;
  } catch {
    return null;
  }
}

// The group, start time and uid of a live (not zombie) process, or null.
export function procInfo(pid: number): ProcInfo | null {
  const stat = statOf(pid);
  const uid = stat ? uidOf(pid) : null;
  return stat && uid !== null ? { pid, ...stat, uid } : null;
}

// The live (not zombie) processes of process group `pgid`. A quick kill(0) first: an empty
// group costs no /proc scan.
export function groupMembers(pgid: number): ProcInfo[] {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return [];
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const found: ProcInfo[] = [];
  for (const p of pids) {
    if (statOf(Number(p))?.pgrp !== pgid) continue;
    const info = procInfo(Number(p));
    if (info?.pgrp === pgid) found.push(info);
  }
  return found;
}

// This boot's id: start times in /proc count from boot, so records of another boot mean nothing.
export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}
