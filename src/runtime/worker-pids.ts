// Every live worker's pid, recorded in the home, so a master starting after a crash can
// find the previous master's leftover workers and stop them before starting new ones.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Master } from '../master/master.js';
import type { MasterNotice } from '../master/notices.js';
import { writeFileAtomic } from './atomic-write.js';
import { startTime } from './proc.js';

// One recorded worker: the start time guards against pid reuse.
export interface PidRecord { readonly pid: number; readonly app: string; readonly slot: number; readonly start: number }

function readRecords(file: string): PidRecord[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as PidRecord[]).filter((r) => Number.isInteger(r?.pid) && r.pid > 1) : [];
  } catch {
    return [];
  }
}

// Keeps `file` in step with the master's live workers; returns the unsubscribe function.
export function recordWorkerPids(master: Master, file: string): () => void {
  const live = new Map<number, PidRecord>();
  const save = () => writeFileAtomic(file, JSON.stringify([...live.values()]));
  save();
  return master.observe((n: MasterNotice) => {
    if (n.type === 'worker-spawned' && n.worker.pid !== null) {
      const start = startTime(n.worker.pid);
      if (start === null) return;
      live.set(n.worker.pid, { pid: n.worker.pid, app: n.worker.app, slot: n.worker.slot, start });
      save();
    } else if (n.type === 'worker-exit' && n.worker.pid !== null && live.delete(n.worker.pid)) {
      save();
    }
  });
}

// Stops the leftover workers a crashed master recorded: stop signal, then SIGKILL after `graceMs`.
// Returns what was found, for the log.
export async function reapLeftovers(file: string, graceMs: number): Promise<PidRecord[]> {
  const leftovers = readRecords(file).filter((r) => startTime(r.pid) === r.start);
  if (leftovers.length === 0) return [];
  const send = (r: PidRecord, sig: NodeJS.Signals) => {
    try {
      process.kill(r.pid, sig);
    } catch {
      // already gone
    }
  };
  for (const r of leftovers) send(r, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && leftovers.some((r) => startTime(r.pid) === r.start)) await sleep(50);
  for (const r of leftovers) if (startTime(r.pid) === r.start) send(r, 'SIGKILL');
  return leftovers;
}
