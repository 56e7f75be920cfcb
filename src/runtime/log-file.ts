// One append-only log file that can be reopened (SIGUSR1, after logrotate moved it) and that
// never throws: when it cannot be opened or written, the problem is reported once and its
// lines are dropped until a reopen works again.
import { closeSync, createWriteStream, mkdirSync, openSync, writeSync, type WriteStream } from 'node:fs';
import path from 'node:path';

// A log file the master writes lines to.
export interface LogFile {
  readonly path: string;
  write(line: string): void;
  reopen(): void;
  close(): Promise<void>;
}

// Opens `file` for appending; `onProblem` gets one message per run of failures.
export function openLogFile(file: string, onProblem: (message: string) => void): LogFile {
  let stream: WriteStream | null = null;
  let reported = false;
  const problem = (what: string, error: unknown) => {
    if (reported) return;
    reported = true;
    onProblem(`log file ${file}: ${what}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; its lines are dropped until it can be reopened (SIGUSR1)`);
  };
  const open = () => {
    let fd: number;
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fd = openSync(file, 'a', 0o640);
    } catch (error) {
      problem('cannot open', error);
      return;
    }
    reported = false;
    const s = createWriteStream('', { fd, autoClose: true });
    s.on('error', (error) => {
      if (stream === s) stream = null;
      problem('cannot write', error);
    });
    stream = s;
  };
  const end = (s: WriteStream | null) => new Promise<void>((resolve) => {
    if (!s || s.destroyed) return resolve();
    s.end(() => resolve());
  });
  open();
  return {
    path: file,
    write(line) {
      stream?.write(line + '\n');
    },
    reopen() {
      const old = stream;
      stream = null;
      void end(old);
      open();
    },
    close() {
      const old = stream;
      stream = null;
      return end(old);
    },
  };
}

// Closes a raw fd, ignoring errors (used by the launcher after handing the fd to the daemon).
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

// Writes to a raw fd, ignoring errors (a problem report to a log that may itself be failing).
export function writeQuietly(fd: number, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // nowhere left to report it
  }
}
