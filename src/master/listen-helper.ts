// Puts the bound socket on fd 3 into the listening state, then exits in the same tick,
// before the event loop could accept a connection. The master cannot call listen(2) itself
// without libuv polling the socket, which would put the master in the data path.
import net from 'node:net';

const server = net.createServer();
server.on('error', (error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
server.listen({ fd: 3, backlog: 511 });
// Listen errors are emitted on a tick queued before this one.
process.nextTick(() => process.exit());
