// The courier: a one-shot process that carries a listening socket to a running worker. The
// master starts it with the master's end of the worker's IPC channel on fd 3 (NODE_CHANNEL_FD,
// so Node sets up process.send on it) and the socket on fd 4. It wraps fd 4 without reading or
// listening on it, sends one message with it attached through Node's own handle protocol, and
// exits from the send's callback: its event loop never polls, so it never accepts a connection
// and never reads what the worker writes (the worker's NODE_HANDLE_ACK goes to the master).
import net from 'node:net';

const fail = (why: string, code: number): never => {
  process.stderr.write(`${why}\n`);
  process.exit(code);
};

let message: unknown;
try {
  message = JSON.parse(process.argv[2] ?? '');
} catch {
  fail('courier: the message is not JSON', 2);
}
if (typeof process.send !== 'function') fail('courier: no IPC channel on fd 3', 2);
// readable: false, so nothing reads from the socket; _handle is the raw TCP or Pipe handle
// ('net.Native' on the wire): the worker gets it unread and listens on it itself.
let handle: unknown;
try {
  handle = (new net.Socket({ fd: 4, readable: false, writable: false }) as unknown as { _handle?: unknown })._handle;
} catch (error) {
  fail(`courier: fd 4: ${(error as Error).message}`, 2);
}
if (!handle) fail('courier: fd 4 is not a socket', 2);
process.send!(message, handle as net.Server, (error: Error | null) => {
  if (error) fail(`courier: ${error.message}`, 1);
  process.exit(0);
});
