// Where a log file's bytes go once it is open, opened without ever blocking the master's
// loop: open(2) runs off the main thread with O_NONBLOCK (a FIFO with no reader fails at
// once with ENXIO instead of waiting for one), a FIFO is written through libuv's event loop
// like a socket, and anything else (a regular file, a tty, /dev/null) with fs.write, which
// retries later when a non-blocking device says EAGAIN.
import { close, constants, fstat, mkdir, open, write } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;
const EAGAIN_RETRY_MS = 20;

// An open log destination.
export interface LogTarget {
  // Regular files grow and can be rotated; FIFOs and devices cannot.
  readonly regular: boolean;
  // Bytes in the file when it was opened (regular files), for rotation by size.
  readonly initialSize: number;
  // Writes all of `bytes`, then calls back (with the error that stopped it, if any).
  write(bytes: Buffer, done: (error: NodeJS.ErrnoException | null) => void): void;
  // Bytes handed to the kernel so far (grows while a write is in flight).
  progress(): number;
  close(): void;
}

const opened = (file: string, noFollow: boolean) =>
  new Promise<number>((resolve, reject) => {
    mkdir(path.dirname(file), { recursive: true, mode: 0o700 }, (mkdirError) => {
      if (mkdirError) return reject(mkdirError);
      open(file, noFollow ? FLAGS | constants.O_NOFOLLOW : FLAGS, 0o640, (error, fd) => (error ? reject(error) : resolve(fd)));
    });
  });

// Opens `file` for appending (created 0640, its directory 0700); with `noFollow`, not
// through a symbolic link (ELOOP).
export async function openLogTarget(file: string, noFollow = false): Promise<LogTarget> {
  const fd = await opened(file, noFollow);
  const stats = await new Promise<import('node:fs').Stats>((resolve, reject) => fstat(fd, (error, s) => (error ? reject(error) : resolve(s)))).catch((error: unknown) => {
    close(fd, () => undefined);
    throw error;
  });
  if (stats.isFIFO()) return fifoTarget(fd);
  return fdTarget(fd, stats.isFile(), stats.isFile() ? stats.size : 0);
}

function fifoTarget(fd: number): LogTarget {
  const socket = new net.Socket({ fd, readable: false, writable: true });
  let handed = 0;
  let failure: NodeJS.ErrnoException | null = null;
  socket.on('error', (error: NodeJS.ErrnoException) => (failure = error));
  return {
    regular: false,
    initialSize: 0,
    write(bytes, done) {
      if (failure || socket.destroyed) return done(failure ?? Object.assign(new Error('closed'), { code: 'EPIPE' }));
      handed += bytes.length;
      socket.write(bytes, (error) => done((error as NodeJS.ErrnoException | null | undefined) ?? null));
    },
    progress: () => handed - socket.writableLength,
    close: () => socket.destroy(),
  };
}

function fdTarget(fd: number, regular: boolean, initialSize: number): LogTarget {
  let written = 0;
  let writing = false;
  let closed = false;
  // Never close the fd under a write in flight: its number could be reused by then.
  const closeNow = () => close(fd, () => undefined);
  return {
    regular,
    initialSize,
    write(bytes, done) {
      writing = true;
      const finish = (error: NodeJS.ErrnoException | null) => {
        writing = false;
        if (closed) closeNow();
        done(error);
      };
      const step = (from: number) => {
        if (closed) return finish(Object.assign(new Error('closed'), { code: 'EBADF' }));
        write(fd, bytes, from, bytes.length - from, null, (error, n) => {
          if (error?.code === 'EAGAIN') return void setTimeout(() => step(from), EAGAIN_RETRY_MS).unref();
          if (error) return finish(error);
          written += n;
          if (from + n < bytes.length) return step(from + n);
          finish(null);
        });
      };
      step(0);
    },
    progress: () => written,
    close() {
      if (closed) return;
      closed = true;
      if (!writing) closeNow();
    },
  };
}
