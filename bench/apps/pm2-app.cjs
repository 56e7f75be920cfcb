// The benchmark's HTTP app as PM2 cluster mode runs it: a 20 ms handler, process.send('ready')
// once listening, and server.close() then exit on SIGINT or PM2's 'shutdown' message.
const http = require('node:http');

const server = http.createServer((req, res) => {
  setTimeout(() => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from pid ${process.pid}\n`);
  }, 20);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('message', (msg) => msg === 'shutdown' && stop());
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
