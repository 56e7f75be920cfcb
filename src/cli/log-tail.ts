// Reading the end of log files and following them as they grow, surviving a logrotate move
// (a new inode or a shorter file starts over from the top), like `tail -F`.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

// The last `n` lines of `file` ([] when it does not exist).
export function lastLines(file: string, n: number): string[] {
  if (n <= 0) return [];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(file).size;
    let start = size;
    let text = '';
    // Read backwards in chunks until there are enough lines or the file is done.
    while (start > 0 && text.split('\n').length <= n + 1) {
      const len = Math.min(64 * 1024, start);
      start -= len;
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, start);
      text = buf.toString('utf8') + text;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-n);
  } finally {
    closeSync(fd);
  }
}

interface Cursor { ino: number; offset: number; rest: string }

function where(file: string): { ino: number; size: number } | null {
  try {
    const st = statSync(file);
    return { ino: st.ino, size: st.size };
  } catch {
    return null;
  }
}

// Follows `files` from their current ends, calling `emit` per new line; returns a stop function.
export function follow(files: readonly string[], emit: (file: string, line: string) => void, everyMs = 200): () => void {
  const cursors = new Map<string, Cursor>();
  for (const f of files) {
    const w = where(f);
    cursors.set(f, { ino: w?.ino ?? -1, offset: w?.size ?? 0, rest: '' });
  }
  const poll = () => {
    for (const [file, c] of cursors) {
      const w = where(file);
      if (!w) continue;
      if (w.ino !== c.ino || w.size < c.offset) Object.assign(c, { ino: w.ino, offset: 0, rest: '' });
      if (w.size === c.offset) continue;
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(w.size - c.offset);
      const got = readSync(fd, buf, 0, buf.length, c.offset);
      closeSync(fd);
      c.offset += got;
      const parts = (c.rest + buf.subarray(0, got).toString('utf8')).split('\n');
      c.rest = parts.pop() ?? '';
      for (const line of parts) emit(file, line);
    }
  };
  const timer = setInterval(poll, everyMs);
  return () => clearInterval(timer);
}
