// A queue-style job worker: takes a job about every 200 ms, each job takes about 200 ms,
// and writes "start N" / "done N" lines to JOB_LOG. On finish-and-exit it stops taking
// jobs, finishes the one in hand, and exits; no job is ever cut in half.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ready, onShutdown, isShuttingDown } from 'graceful-supervisor/worker';

// Relative to the worker's cwd (the ecosystem file's folder by default), never a shared /tmp path.
const log = process.env.JOB_LOG ?? 'jobs.log';
const jobMs = Number(process.env.JOB_MS ?? 200);
const worker = `${process.env.SUPERVISOR_APP ?? 'jobs'}#${process.env.SUPERVISOR_WORKER_ID ?? 0}`;
let n = 0;

async function loop() {
  while (!isShuttingDown()) {
    const id = `${process.pid}-${++n}`;
    appendFileSync(log, `start ${id} ${worker} gen ${process.env.SUPERVISOR_GENERATION}\n`);
    await sleep(jobMs);
    appendFileSync(log, `done ${id}\n`);
    if (!isShuttingDown()) await sleep(jobMs);
  }
}

const running = loop();
onShutdown(() => running);
ready();
