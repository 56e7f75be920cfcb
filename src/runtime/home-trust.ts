// The home is trusted only if it is ours: the master (often root) writes its files, follows
// its pids and signals them, so a home, a logs dir or a file in them that is a symbolic
// link, belongs to another user, or can be written by others is refused, with the fix.
// Files are opened with O_NOFOLLOW and checked again on the open fd (fstat), so nothing can
// be swapped in between.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, type Stats } from 'node:fs';

// Thrown for a home or home file that is not ours.
export class UntrustedPathError extends Error {
  readonly code = 'EPERM';
  constructor(message: string) {
    super(message);
    this.name = 'UntrustedPathError';
  }
}

const modeText = (mode: number) => `0${(mode & 0o777).toString(8)}`;
const myUid = (): number | null => (typeof process.geteuid === 'function' ? process.geteuid() : null);

// Why the entry `path` (lstat'ed as `st`) is not ours, with the fix; null when it is.
export function trustProblem(path: string, st: Stats, what: string): string | null {
  if (st.isSymbolicLink()) {
    let target = '?';
    try {
      target = readlinkSync(path);
    } catch {
      // gone meanwhile
    }
    return `${what} ${path} is a symbolic link (to ${target}); the master does not follow links in its home: remove the link (rm ${path})${what === 'the home' ? ' and use the real directory as --home' : ''}`;
  }
  const me = myUid();
  if (me !== null && st.uid !== me) return `${what} ${path} belongs to uid ${st.uid}, not to the master's user (uid ${me}); use a home of your own (--home), or remove it if you did not put it there`;
  if (st.mode & 0o022) {
    const who = st.mode & 0o002 ? 'everyone' : 'its group';
    const fix = st.isDirectory() ? `chmod 700 ${path}` : `chmod 600 ${path}`;
    return `${what} ${path} is writable by ${who} (mode ${modeText(st.mode)}): another user could have planted files there; check what it holds, then run "${fix}"`;
  }
  return null;
}

// lstat's `path`, or null when it does not exist.
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

// Throws UntrustedPathError when `path` exists and is not ours.
export function assertOwnEntry(path: string, what: string): void {
  const st = lstatOrNull(path);
  const problem = st && trustProblem(path, st, what);
  if (problem) throw new UntrustedPathError(problem);
}

// Reads a small file of the home without following a link and checks the open fd: its text,
// null when it does not exist, or an UntrustedPathError when it is not ours.
export function readOwnFile(path: string, what: string, maxBytes: number): string | null {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted there must not block the master in open().
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new UntrustedPathError(trustProblem(path, lstatSync(path), what) ?? `${what} ${path} is a symbolic link`);
    throw error;
  }
  try {
    const st = fstatSync(fd);
    const problem = trustProblem(path, st, what) ?? (st.isFile() ? null : `${what} ${path} is not a regular file; remove it`);
    if (problem) throw new UntrustedPathError(problem);
    const buffer = Buffer.alloc(Math.min(st.size, maxBytes));
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}
