// A process's resident memory, read from /proc, and a sampler that keeps the peak.
import { readFileSync } from 'node:fs';

// Resident set size of `pid` in bytes, or null when it is gone.
export function rssOf(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(/(\d+)/.exec(line)![1]) * 1024 : null;
  } catch {
    return null;
  }
}

// Samples a process's RSS every `everyMs` until stopped; `peak` is the highest value seen.
export interface RssSampler { readonly peak: number; stop(): number }

// Starts sampling `pid`.
export function sampleRss(pid: number, everyMs = 50): RssSampler {
  let peak = rssOf(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid) ?? 0);
  }, everyMs);
  timer.unref(); // a test that failed before stop() must not be kept alive by it
  return {
    get peak() {
      return peak;
    },
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssOf(pid) ?? 0);
      return peak;
    },
  };
}

// Bytes as whole megabytes, for messages and reports.
export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
