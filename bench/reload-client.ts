// `reload` over the control socket, as a separate process like `pm2 reload`. Prints how long
// the control-socket request itself took (Master.reload as a client sees it), as JSON.
// Usage: node reload-client.js <socket>.
import { request } from '../src/cli/control-client.js';

const socket = process.argv[2];
if (!socket) {
  process.stderr.write('usage: reload-client <control socket>\n');
  process.exit(2);
}
const t = process.hrtime.bigint();
const reply = await request(socket, 'reload', {});
const requestMs = Number(process.hrtime.bigint() - t) / 1e6;
if (!reply.ok) {
  process.stderr.write(`reload failed: ${JSON.stringify(reply)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ requestMs })}\n`);
