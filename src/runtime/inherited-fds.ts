// Fd hygiene for a master: every fd above 2 that it inherited (a shell's `exec 300<>/dev/tty`,
// a terminal multiplexer's, a CI runner's) is closed at boot, so it never reaches the daemon
// or a worker, nor stays open for as long as the master runs. After exec every fd of a
// process was inherited, and Node and libuv open their own with O_CLOEXEC; so at boot an fd
// above 2 without O_CLOEXEC is an inherited one (Node marks its IPC channel close-on-exec
// itself; it is kept anyway, as is any fd in `keep`).
//
// One exception: Node 22 and 24 read the NODE_EXTRA_CA_CERTS file on another thread while
// the master boots, through an fd without O_CLOEXEC. Closing that fd under it is worse than
// a leak: Node closes the same number again when it is done, and by then the number may be
// a pipe of ours (a config loader's answer went missing that way, under load). So a
// read-only fd on a file Node's TLS start-up reads is left alone: public certificates.
import { closeSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

const O_CLOEXEC = 0o2000000;
const O_ACCMODE = 0o3;

// The fds above 2 this process holds without O_CLOEXEC, each with its open flags.
function openWithoutCloexec(): { fd: number; flags: number }[] {
  let fds: number[];
  try {
    fds = readdirSync('/proc/self/fdinfo').map(Number).filter((fd) => Number.isInteger(fd) && fd > 2);
  } catch {
    return []; // no /proc: nothing to go by
  }
  return fds.flatMap((fd) => {
    try {
      const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      return flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0 ? [{ fd, flags: parseInt(flags, 8) }] : [];
    } catch {
      return []; // closed meanwhile (the directory listing's own fd)
    }
  });
}

const realOrNull = (p: string | undefined) => {
  if (!p) return null;
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
};

// Files Node's own TLS start-up may be reading on another thread right now.
function nodeTlsFiles(env: NodeJS.ProcessEnv): { files: Set<string>; dirs: string[] } {
  const files = new Set([env.NODE_EXTRA_CA_CERTS, env.SSL_CERT_FILE, env.OPENSSL_CONF].map(realOrNull).filter((p): p is string => p !== null));
  const dirs = [env.SSL_CERT_DIR].map(realOrNull).filter((p): p is string => p !== null);
  return { files, dirs };
}

// Whether `fd` is open read-only on a file Node's TLS start-up reads.
function isNodeTlsRead(fd: number, flags: number, tls: ReturnType<typeof nodeTlsFiles>): boolean {
  if ((flags & O_ACCMODE) !== 0) return false;
  let target: string;
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return false;
  }
  return tls.files.has(target) || tls.dirs.some((dir) => path.dirname(target) === dir);
}

// The fds above 2 this process holds without O_CLOEXEC, but Node's own reads (see above).
export function inheritedFds(env: NodeJS.ProcessEnv = process.env): number[] {
  const tls = nodeTlsFiles(env);
  return openWithoutCloexec().filter(({ fd, flags }) => !isNodeTlsRead(fd, flags, tls)).map(({ fd }) => fd);
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
