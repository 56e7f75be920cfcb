// The CLI's side of the control socket: send one request, print progress, get the answer.
// Every call is bounded: a whole-call timeout, or for verbs that wait for work (a reload can
// take as long as its workers' kill_timeout) a watch that pings the master whenever it has
// been quiet for a while and gives up when the ping is not answered either.
// Kept free of master code so quick verbs load fast.
import net from 'node:net';
import { statSync } from 'node:fs';
import { CONTROL_VERSION, encodeLine, isProgress, type ControlReply, type ControlResponse, type ControlVerb } from '../protocol/control.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// The longest answer line the CLI reads (a status of 1024 workers is far smaller).
const MAX_REPLY_BYTES = 64 * 1024 * 1024;
// How long a liveness ping may take.
const PING_MS = 10_000;

// Keeps a long call honest: after `quietMs` without a line from the master, it must answer a ping.
export interface LivenessWatch { readonly quietMs: number }

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

// Sends `verb` to the master at `socketPath`; `onProgress` gets each progress line. Fails with
// exit code 6 past `timeoutMs` (0: none), or when `watch` finds the master not answering.
export function request(socketPath: string, verb: ControlVerb, args: Record<string, unknown> = {}, onProgress?: (line: string) => void, timeoutMs = 0, watch?: LivenessWatch): Promise<ControlResponse> {
  const owner = socketOwnerProblem(socketPath);
  if (owner) return Promise.reject(new CliError(owner, EXIT.PERMISSION));
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      settled = true;
      for (const t of timers) clearTimeout(t);
    };
    const fail = (error: CliError) => {
      if (settled) return;
      finish();
      socket.destroy();
      reject(error);
    };
    const late = (what: string) => new CliError(`${verb}: the master did not answer ${what} (socket ${socketPath}); it may be stopped (SIGSTOP), overloaded or wedged`, EXIT.TIMEOUT);
    if (timeoutMs > 0) timers.push(setTimeout(() => fail(late(`within ${seconds(timeoutMs)}`)), timeoutMs));
    let quiet: NodeJS.Timeout | null = null;
    if (watch) {
      quiet = setTimeout(() => {
        request(socketPath, 'ping', {}, undefined, PING_MS).then(
          () => quiet?.refresh(),
          () => fail(late(`for ${seconds(watch.quietMs)}, nor a ping within ${seconds(PING_MS)}, while ${verb} ran`)),
        );
      }, watch.quietMs);
      timers.push(quiet);
    }
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') fail(new CliError(`no master is running (no one listens on ${socketPath}); start one with "supervisor start <config>"`, EXIT.NO_MASTER));
      else if (error.code === 'EACCES' || error.code === 'EPERM') fail(new CliError(`permission denied on the control socket ${socketPath}: it belongs to another user`, EXIT.PERMISSION));
      else fail(new CliError(`cannot reach the master at ${socketPath}: ${error.message}`, EXIT.FAILED));
    });
    socket.once('connect', () => socket.write(encodeLine({ v: CONTROL_VERSION, id: 1, verb, args })));
    let partial = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      quiet?.refresh();
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      if (partial.length > MAX_REPLY_BYTES) return fail(new CliError(`${verb}: the master's answer is longer than ${MAX_REPLY_BYTES} bytes`, EXIT.FAILED));
      for (const line of lines) {
        if (settled) return;
        let reply: ControlReply;
        try {
          reply = JSON.parse(line) as ControlReply;
        } catch {
          continue;
        }
        if (isProgress(reply)) {
          onProgress?.(reply.progress);
          continue;
        }
        finish();
        socket.end();
        resolve(reply);
      }
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
