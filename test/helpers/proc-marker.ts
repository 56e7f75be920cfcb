// Finding and killing what a test run started, by a marker in each process's environment:
// workers inherit the master's environment and a daemon keeps it through setsid, so a
// marker reaches every process a test starts, however it detached.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { allPids, cmdline } from './procs.js';

// The variable naming the run (set by scripts/run-tests.mjs for every test file).
export const RUN_KEY = 'GS_TEST_RUN';
// The variable naming the test: "<run>:<test file's pid>:<test number>".
export const TEST_KEY = 'GS_TEST_ID';

// A live process carrying a marker, with what to print about it.
export interface MarkedProcess { readonly pid: number; readonly marker: string; readonly command: string }

// The value of `key` in the environment a process was started with, or null.
export function markerOf(pid: number, key: string): string | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
  const entry = text.split('\0').find((kv) => kv.startsWith(`${key}=`));
  return entry === undefined ? null : entry.slice(key.length + 1);
}

// Which marker values to look for.
export type MarkerTest = (value: string) => boolean;

// The markers of run `run` and of runs nested in it ("<run>-<id>", a suite run by a test).
export const ofRun = (run: string): MarkerTest => (v) => v === run || v.startsWith(`${run}-`);

// The markers that start with `prefix`.
export const startingWith = (prefix: string): MarkerTest => (v) => v.startsWith(prefix);

// Live processes (not zombies, never this one) whose `key` passes `test`.
export function markedProcesses(key: string, test: MarkerTest): MarkedProcess[] {
  return allPids().flatMap((pid) => {
    const marker = pid === process.pid ? null : markerOf(pid, key);
    return marker !== null && test(marker) ? [{ pid, marker, command: cmdline(pid).slice(0, 160) }] : [];
  });
}

// SIGKILLs marked processes until none is left or `timeoutMs` passed (a master may spawn
// while it dies); returns every process it killed and those that would not die.
export async function killMarked(key: string, test: MarkerTest, timeoutMs = 10_000): Promise<{ killed: MarkedProcess[]; survivors: MarkedProcess[] }> {
  const killed = new Map<number, MarkedProcess>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = markedProcesses(key, test);
    if (live.length === 0) return { killed: [...killed.values()], survivors: [] };
    if (Date.now() > deadline) return { killed: [...killed.values()], survivors: live };
    for (const p of live) {
      if (!killed.has(p.pid)) killed.set(p.pid, p);
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await sleep(20);
  }
}

// One line per process, for reports.
export function describeProcesses(list: readonly MarkedProcess[]): string {
  return list.map((p) => `  pid ${p.pid} [${p.marker}] ${p.command}`).join('\n');
}
