// The CLI's side of the control socket: send one request, print progress, get the answer.
// Kept free of master code so quick verbs load fast.
import net from 'node:net';
import { statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CONTROL_VERSION, encodeLine, isProgress, type ControlReply, type ControlResponse, type ControlVerb } from '../protocol/control.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// Sends `verb` to the master at `socketPath`; `onProgress` gets each progress line.
export function request(socketPath: string, verb: ControlVerb, args: Record<string, unknown> = {}, onProgress?: (line: string) => void, timeoutMs = 0): Promise<ControlResponse> {
  const owner = socketOwnerProblem(socketPath);
  if (owner) return Promise.reject(new CliError(owner, EXIT.PERMISSION));
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let settled = false;
    const fail = (error: CliError) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = timeoutMs > 0 ? setTimeout(() => fail(new CliError(`the master did not answer within ${timeoutMs} ms`, EXIT.TIMEOUT)), timeoutMs) : null;
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') fail(new CliError(`no master is running (no one listens on ${socketPath}); start one with "supervisor start <config>"`, EXIT.NO_MASTER));
      else if (error.code === 'EACCES' || error.code === 'EPERM') fail(new CliError(`permission denied on the control socket ${socketPath}: it belongs to another user`, EXIT.PERMISSION));
      else fail(new CliError(`cannot reach the master at ${socketPath}: ${error.message}`, EXIT.FAILED));
    });
    socket.once('connect', () => socket.write(encodeLine({ v: CONTROL_VERSION, id: 1, verb, args })));
    // readline re-emits the socket's errors; the socket's own handler above reports them.
    const lines = createInterface({ input: socket });
    lines.on('error', () => undefined);
    lines.on('line', (line) => {
      let reply: ControlReply;
      try {
        reply = JSON.parse(line) as ControlReply;
      } catch {
        return;
      }
      if (isProgress(reply)) {
        onProgress?.(reply.progress);
        return;
      }
      if (timer) clearTimeout(timer);
      settled = true;
      socket.end();
      resolve(reply);
    });
    socket.once('close', () => fail(new CliError('the master closed the connection before answering', EXIT.FAILED)));
  });
}

// A socket owned by someone else is refused even where connecting would work (as root):
// its master is not ours to command.
function socketOwnerProblem(socketPath: string): string | null {
  if (typeof process.getuid !== 'function') return null;
  try {
    const { uid } = statSync(socketPath);
    return uid === process.getuid() ? null : `the control socket ${socketPath} belongs to uid ${uid}, not to you (uid ${process.getuid()})`;
  } catch {
    return null; // missing: the connect below reports "no master running"
  }
}
