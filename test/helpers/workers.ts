// Finding a master's workers among real processes, and reading their environment.
import { readFileSync } from 'node:fs';
import { childrenOf } from './procs.js';

// The environment of a live process, or null when it is gone.
export function environ(pid: number): Record<string, string> | null {
  try {
    const text = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return Object.fromEntries(text.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  } catch {
    return null;
  }
}

// A master's live workers with their app, slot and generation.
export function workersOf(masterPid: number): { pid: number; app: string; slot: number; generation: number }[] {
  return childrenOf(masterPid).flatMap((pid) => {
    const env = environ(pid);
    if (!env?.SUPERVISOR_APP) return [];
    return [{ pid, app: env.SUPERVISOR_APP, slot: Number(env.SUPERVISOR_WORKER_ID), generation: Number(env.SUPERVISOR_GENERATION) }];
  });
}

// The sorted pids of a master's workers of one generation (a newer one may be starting beside it).
export function pidsOfGeneration(masterPid: number, generation: number): number[] {
  return workersOf(masterPid).filter((w) => w.generation === generation).map((w) => w.pid).sort();
}
