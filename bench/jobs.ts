// The job benchmark: 3 workers take 200 ms jobs from a local queue (job-queue.ts) while the
// supervisor reloads them 6 times; counts the jobs cut in half.
import { setTimeout as sleep } from 'node:timers/promises';
import { startQueue } from './job-queue.js';
import type { Subject } from './subjects.js';

// One supervisor's run.
export interface JobRun {
  readonly name: string;
  readonly settings: string;
  readonly handedOut: number;
  readonly done: number;
  readonly cut: number;
  readonly reloadMs: number[];
  readonly goneMs: number[];
  readonly seconds: number;
}

const RELOADS = Number(process.env.JOB_RELOADS ?? 6);
const GAP_MS = 1000;

// Starts the subject on a fresh queue, lets it work 2 s, reloads RELOADS times (GAP_MS after
// each returned), lets it work 2 s more, stops it, then reads the counts.
export async function jobRun(start: (queuePort: number) => Promise<Subject>, settings: (s: Subject) => Promise<string>): Promise<JobRun> {
  const queue = await startQueue();
  const t0 = Date.now();
  const subject = await start(queue.port);
  const reloadMs: number[] = [];
  const goneMs: number[] = [];
  let how = '';
  let counts = { ...queue.counts };
  try {
    how = await settings(subject);
    await sleep(2000);
    for (let i = 0; i < RELOADS; i++) {
      const r = await subject.reload();
      reloadMs.push(r.wallMs);
      goneMs.push(r.goneMs);
      process.stdout.write(`  ${subject.name}: reload ${i + 1} took ${r.wallMs.toFixed(0)} ms; jobs cut so far: ${queue.counts.cut}\n`);
      await sleep(GAP_MS);
    }
    await sleep(2000);
    // Read before the stop: a stop may cut jobs too (PM2's kill); only the reloads' count.
    counts = { ...queue.counts };
  } finally {
    await subject.stop();
    await queue.close();
  }
  return { name: subject.name, settings: how, ...counts, reloadMs, goneMs, seconds: (Date.now() - t0) / 1000 };
}
