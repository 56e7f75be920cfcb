// The job benchmark's worker, the same file under both supervisors and no SDK: it takes a job
// from the queue (QUEUE_PORT), works JOB_MS (200 ms), reports it done, and takes the next.
// It stops the conventional way: on SIGTERM (systemd's, Docker's and Kubernetes' stop signal;
// JOB_STOP_SIGNALS lists others), or PM2's "shutdown" message, it takes no new job, finishes
// the one in hand, and exits. Ready (PM2's wait_ready, and ours) is process.send("ready").
import net from 'node:net';

const jobMs = Number(process.env.JOB_MS ?? 200);
let stopping = false;
let inHand = false;

const socket = net.connect(Number(process.env.QUEUE_PORT), '127.0.0.1');
const finish = () => socket.end(() => process.exit(0));
const take = () => {
  inHand = true; // from the request on: a job may be on its way
  socket.write('take\n');
};
let buffered = '';
socket.setEncoding('utf8');
socket.on('data', (chunk) => {
  buffered += chunk;
  let nl;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const [, id] = buffered.slice(0, nl).split(' ');
    buffered = buffered.slice(nl + 1);
    setTimeout(() => {
      socket.write(`done ${id}\n`);
      inHand = false;
      if (stopping) finish();
      else take();
    }, jobMs);
  }
});
socket.on('error', () => process.exit(1));
socket.once('connect', () => {
  take();
  process.send?.('ready');
});

const stop = () => {
  stopping = true;
  if (!inHand) finish();
};
for (const signal of (process.env.JOB_STOP_SIGNALS ?? 'SIGTERM').split(',')) process.on(signal, stop);
process.on('message', (message) => message === 'shutdown' && stop());
