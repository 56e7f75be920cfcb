// CPU % and memory of worker pids, sampled by pidusage; a pid that vanished gives no entry.
import pidusage from 'pidusage';

// One process's usage: CPU percent (of one core) and resident memory in bytes.
export interface Usage { readonly cpu: number; readonly memory: number }

// Samples every pid at once; missing pids are left out rather than failing the call.
export async function sampleUsage(pids: readonly number[]): Promise<Map<number, Usage>> {
  const out = new Map<number, Usage>();
  const results = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') out.set(pids[i]!, { cpu: Math.round(r.value.cpu * 10) / 10, memory: r.value.memory });
  });
  if (pids.length > 0) pidusage.clear();
  return out;
}
