// Fd hygiene for a master: every fd above 2 that it inherited (a shell's `exec 300<>/dev/tty`,
// a terminal multiplexer's, a CI runner's) is closed at boot, so it never reaches the daemon
// or a worker, nor stays open for as long as the master runs. After exec every fd of a
// process was inherited, and Node and libuv open their own with O_CLOEXEC; so at boot an fd
// above 2 without O_CLOEXEC is an inherited one (Node marks its IPC channel close-on-exec
// itself; it is kept anyway, as is any fd in `keep`).
import { closeSync, readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;

// The fds above 2 this process holds without O_CLOEXEC.
export function inheritedFds(): number[] {
  let fds: number[];
  try {
    fds = readdirSync('/proc/self/fdinfo').map(Number).filter((fd) => Number.isInteger(fd) && fd > 2);
  } catch {
    return []; // no /proc: nothing to go by
  }
  return fds.filter((fd) => {
    try {
      const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      return flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0;
    } catch {
      return false; // closed meanwhile (the directory listing's own fd)
    }
  });
}

// Closes every inherited fd above 2 but the IPC channel to our parent and `keep`; returns them.
export function closeInheritedFds(keep: readonly number[] = []): number[] {
  const channel = (process.channel as { fd?: number } | undefined)?.fd;
  const closed = inheritedFds().filter((fd) => fd !== channel && !keep.includes(fd));
  for (const fd of closed) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
  return closed;
}
