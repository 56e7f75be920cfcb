// The floor of an HTTP worker's boot: Node starts, listens on the port the benchmark passed
// (PORT, 0 for any) and writes a newline on fd 3 (SUPERVISOR_READY_FD's protocol); no SDK.
const http = require('node:http');
const fs = require('node:fs');

const server = http.createServer((req, res) => res.end('ok\n'));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  if (process.env.SUPERVISOR_READY_FD) fs.writeSync(Number(process.env.SUPERVISOR_READY_FD), '\n');
  if (process.env.BOOT_EXIT) process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
