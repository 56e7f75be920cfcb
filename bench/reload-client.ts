// `reload` over the control socket, as a separate process so its wall time counts process
// start-up the way `pm2 reload` does. Usage: node reload-client.js <socket>.
import { request } from '../src/cli/control-client.js';

const socket = process.argv[2];
if (!socket) {
  process.stderr.write('usage: reload-client <control socket>\n');
  process.exit(2);
}
const reply = await request(socket, 'reload', {});
if (!reply.ok) {
  process.stderr.write(`reload failed: ${JSON.stringify(reply)}\n`);
  process.exit(1);
}
