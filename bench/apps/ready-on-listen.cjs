// Preloaded (--require) by bench:boot in front of an app that has no readiness signal (the
// Express app): writes a newline on SUPERVISOR_READY_FD when the first server is listening.
// With BOOT_FLUSH set it first writes Node's compile cache to disk (bench:boot's warm-up: the
// benchmark kills each child once it is ready, and Node writes the cache only at exit).
const net = require('node:net');
const fs = require('node:fs');

const listen = net.Server.prototype.listen;
let told = false;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    if (told) return;
    told = true;
    if (process.env.BOOT_FLUSH) require('node:module').flushCompileCache?.();
    fs.writeSync(Number(process.env.SUPERVISOR_READY_FD), '\n');
  });
  return listen.apply(this, args);
};
