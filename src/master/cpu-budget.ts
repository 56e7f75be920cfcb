// How many CPUs the master may use: os.availableParallelism() (the CPU affinity mask), lowered
// by a cgroup CPU quota when there is one (a container's `--cpus`, systemd's CPUQuota=): cgroup
// v2 `cpu.max`, or v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`, read along the master's own
// cgroup path (/proc/self/cgroup) up to the root, since any ancestor may hold the limit.
// From it, the default reload surge: about half of those CPUs, at least 1, so the new workers
// that boot during a reload leave CPU to the ones that are serving.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Reads a small text file, or null when it is missing or unreadable.
export type ReadText = (file: string) => string | null;

const readText: ReadText = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

// CPUs granted by a cgroup v2 `cpu.max` ("<quota> <period>" or "max <period>"); null: no limit.
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  return quotaOf(quota, period);
}

// CPUs granted by cgroup v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us`; null: no limit (-1).
export function parseCfs(quotaText: string, periodText: string): number | null {
  return quotaOf(quotaText.trim(), periodText.trim());
}

function quotaOf(quota: string | undefined, period: string | undefined): number | null {
  const q = Number(quota);
  const p = Number(period);
  if (!Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return null;
  return q / p;
}

// The folders from `dir` up to `root`, nearest first.
function upTo(root: string, dir: string): string[] {
  const out: string[] = [];
  let at = path.join(root, dir);
  for (;;) {
    out.push(at);
    if (at === root || !at.startsWith(root)) return out;
    at = path.dirname(at);
  }
}

// The smallest CPU quota on the master's cgroup path (v2, else v1), or null when none is set.
export function cgroupCpuLimit(read: ReadText = readText, mount = '/sys/fs/cgroup'): number | null {
  const self = read('/proc/self/cgroup');
  if (self === null) return null;
  let limit: number | null = null;
  const lower = (n: number | null) => (n !== null && (limit === null || n < limit) ? (limit = n) : limit);
  for (const line of self.split('\n')) {
    const [, controllers, dir] = /^\d+:([^:]*):(.*)$/.exec(line.trim()) ?? [];
    if (dir === undefined) continue;
    if (controllers === '') {
      for (const d of upTo(mount, dir)) {
        const text = read(path.join(d, 'cpu.max'));
        if (text !== null) lower(parseCpuMax(text));
      }
    } else if (controllers?.split(',').includes('cpu')) {
      for (const base of [path.join(mount, controllers), path.join(mount, 'cpu')]) {
        for (const d of upTo(base, dir)) {
          const quota = read(path.join(d, 'cpu.cfs_quota_us'));
          const period = read(path.join(d, 'cpu.cfs_period_us'));
          if (quota !== null && period !== null) lower(parseCfs(quota, period));
        }
      }
    }
  }
  return limit;
}

// The CPUs the master may use: the affinity count, capped by a cgroup quota.
export function usableCpus(parallelism = os.availableParallelism(), quota = cgroupCpuLimit()): number {
  return quota === null ? parallelism : Math.min(parallelism, quota);
}

// How many new workers boot at once during a reload when reload_surge is not set.
export function surgeFor(cpus: number): number {
  return Math.max(1, Math.floor(cpus / 2));
}

let cached: number | undefined;

// The default reload_surge on this machine, computed once per process.
export function defaultSurge(): number {
  cached ??= surgeFor(usableCpus());
  return cached;
}
