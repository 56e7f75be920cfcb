// Looking at real processes through /proc: liveness, descendants, parents, sessions.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

// True when a process with this pid exists and is not a zombie.
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

// Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ...
export function stat(pid: number): { state: string; ppid: number; pgrp: number; session: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, ppid: Number(f[1]), pgrp: Number(f[2]), session: Number(f[3]) };
  } catch {
    return null;
  }
}

// The command line of a process, or '' when it is gone.
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

// Every live pid on the machine.
export function allPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter(alive);
}

// The live children of a process.
export function childrenOf(pid: number): number[] {
  return allPids().filter((p) => stat(p)?.ppid === pid);
}

// Live processes whose command line contains `text` (to find leaked workers by marker).
export function pidsMatching(text: string): number[] {
  return allPids().filter((p) => p !== process.pid && cmdline(p).includes(text));
}

// The inode of the socket open at `fd` in a process, or null when it is not a socket.
export function socketInodeAt(pid: number, fd: number | string): string | null {
  try {
    return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? null;
  } catch {
    return null;
  }
}

// The inodes of every socket a process holds open.
export function socketInodes(pid: number): Set<string> {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return new Set();
  }
  return new Set(fds.map((fd) => socketInodeAt(pid, fd)).filter((i): i is string => i !== null));
}
