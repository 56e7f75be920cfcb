// A pipe for a worker's stdout or stderr whose read end the master reads into one reused
// buffer (net.Socket's `onread`). A pipe from child_process hands every read over as a
// fresh 64 KB buffer; at flood speed Node frees those only after tens of MB (Node 24 grew
// the master by 60-80 MB reading a 1 GB flood), while a reused buffer costs nothing. Node
// cannot make a pipe pair, so it is a FIFO made by mkfifo in a private (0700) directory,
// opened at both ends and removed with its directory at once: the worker gets the
// (blocking) write end, and nothing is left on disk even if the master is killed.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const READ_BUFFER_BYTES = 64 * 1024;
const MKFIFO_TIMEOUT_MS = 2_000;

// One pipe: the fd to give the worker, and the master's reading end.
export interface OutputPipe {
  // The write end, for the worker's stdio; close it in the master once the worker is spawned.
  readonly childFd: number;
  readonly reader: net.Socket;
}

// `count` pipes whose chunks go to `onChunk` (valid only during the call), or null when they
// cannot be made here (no mkfifo, no temp dir): the caller then uses ordinary pipes.
export function openOutputPipes(count: number, onChunk: (index: number, chunk: Buffer) => void): OutputPipe[] | null {
  let at: string;
  try {
    at = mkdtempSync(path.join(os.tmpdir(), 'supervisor-pipes-'));
  } catch {
    return null;
  }
  const names = Array.from({ length: count }, (_, i) => path.join(at, String(i)));
  const fds: number[] = [];
  try {
    execFileSync('mkfifo', ['-m', '600', ...names], { stdio: 'ignore', timeout: MKFIFO_TIMEOUT_MS });
    // The read end first, without blocking; then the write end finds a reader and opens at once.
    for (const name of names) fds.push(openSync(name, constants.O_RDONLY | constants.O_NONBLOCK), openSync(name, constants.O_WRONLY));
  } catch {
    for (const fd of fds) closeQuietly(fd);
    return null;
  } finally {
    try {
      rmSync(at, { recursive: true, force: true }); // the FIFOs stay open; their names go
    } catch {
      // a stray empty directory in the temp dir is all that is left
    }
  }
  return names.map((_, index) => {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const onread = {
      buffer,
      callback: (n: number) => {
        onChunk(index, buffer.subarray(0, n));
        return true; // pausing is the pump's business (socket.pause())
      },
    };
    // `onread` works for new net.Socket() on Node 20-24; @types/node 20 only types it for connect().
    const opts: net.SocketConstructorOpts & { onread: net.OnReadOpts } = { fd: fds[2 * index]!, readable: true, writable: false, onread };
    return { childFd: fds[2 * index + 1]!, reader: new net.Socket(opts) };
  });
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
