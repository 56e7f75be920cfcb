// The reload benchmark's HTTP app, the same file under both supervisors: each request takes
// 20 ms (HANDLER_MS). It uses the SDK, which works outside our supervisor too: `listen` takes
// the socket our master passed down, or else listens on PORT (under PM2's cluster mode the
// cluster module shares it); `drainOnShutdown` drains keep-alive connections on finish-and-exit,
// which under PM2 is its SIGINT. Ready is the SDK's `ready()` under ours, PM2's
// `process.send('ready')` (wait_ready) under PM2.
import http from 'node:http';
import { drainOnShutdown, listen, ready, supervised } from 'graceful-supervisor/worker';

const handlerMs = Number(process.env.HANDLER_MS ?? 20);
const server = http.createServer((req, res) => {
  setTimeout(() => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from pid ${process.pid}\n`);
  }, handlerMs);
});

drainOnShutdown(server);
await listen(server, Number(process.env.PORT ?? 3000));
if (supervised) ready();
else process.send?.('ready');
