// The idle-RSS benchmark's worker, the same file under both supervisors: a Node process that
// says "ready" over IPC (PM2's wait_ready and our PM2-compatible readiness) and idles until
// told to stop (a signal, or PM2's 'shutdown' message).
const timer = setInterval(() => {}, 60_000);
const stop = () => {
  clearInterval(timer);
  process.exit(0);
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, stop);
process.on('message', (msg) => msg === 'shutdown' && stop());
process.send?.('ready');
