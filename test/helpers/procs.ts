// Looking at real processes through /proc: liveness, descendants, parents, sessions.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

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

// "a.b.c.d:port" of every TCP socket in LISTEN state held by `pid` ("[hex]:port" for IPv6),
// read from the kernel through the process's own network namespace.
export function listeningAddresses(pid: number): string[] {
  const mine = socketInodes(pid);
  const found: string[] = [];
  for (const table of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !mine.has(f[9]!)) continue;
      const [hex, portHex] = f[1]!.split(':') as [string, string];
      const port = parseInt(portHex, 16);
      found.push(hex.length === 8 ? `${[3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.')}:${port}` : `[${hex}]:${port}`);
    }
  }
  return found;
}

// True when this user can run a process in a network namespace of its own (root, unshare).
export function canUseNetns(): boolean {
  return spawnSync('unshare', ['-n', 'true']).status === 0;
}
