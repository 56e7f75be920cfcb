// The job benchmark's queue: a tiny line-protocol TCP server on 127.0.0.1. A worker sends
// "take", gets "job <id>" at once (the queue never runs dry), works, and sends "done <id>".
// A job handed out on a connection that closes before its "done" was cut in half: counted,
// and (as a real queue would) handed out again later.
import net from 'node:net';

// The queue's counts, live.
export interface JobQueue {
  readonly port: number;
  readonly counts: { handedOut: number; done: number; cut: number };
  close(): Promise<void>;
}

// Starts the queue on a free port.
export function startQueue(): Promise<JobQueue> {
  const counts = { handedOut: 0, done: 0, cut: 0 };
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const open = new Set<number>();
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const [verb, arg] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        if (verb === 'take') {
          const id = ++next;
          open.add(id);
          counts.handedOut++;
          socket.write(`job ${id}\n`);
        } else if (verb === 'done' && open.delete(Number(arg))) counts.done++;
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      counts.cut += open.size;
      sockets.delete(socket);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        counts,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
