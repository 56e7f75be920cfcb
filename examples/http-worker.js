// An HTTP worker: each request takes about 20 ms. It listens on the socket the master
// passed down (or on PORT outside the supervisor), reports ready once listening, and on
// finish-and-exit drains its keep-alive connections so a reload drops nothing.
import http from 'node:http';
import { drainOnShutdown, listen, ready } from 'graceful-supervisor/worker';

const handlerMs = Number(process.env.HANDLER_MS ?? 20);

const server = http.createServer((req, res) => {
  setTimeout(() => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from pid ${process.pid} (worker ${process.env.SUPERVISOR_WORKER_ID ?? '-'}, generation ${process.env.SUPERVISOR_GENERATION ?? '-'})\n`);
  }, handlerMs);
});

// Idle keep-alive connections may still send one request (answered with Connection: close).
drainOnShutdown(server, { idleGraceMs: Number(process.env.IDLE_GRACE_MS ?? 500) });
await listen(server, Number(process.env.PORT ?? 3000));
ready();
