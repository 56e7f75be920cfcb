// Drives autocannon and records every response and error with its time, so latency can be
// split into steady state and reload windows afterwards.
import autocannon from 'autocannon';

// One completed request: when it finished (ms since epoch), how long it took, its status.
export interface Sample { readonly at: number; readonly ms: number; readonly status: number }

// Everything one load run saw.
export interface LoadRecord {
  readonly samples: Sample[];
  readonly errors: { at: number; code: string }[];
  readonly startedAt: number;
  endedAt: number;
}

// Runs `connections` keep-alive connections against `url` for `seconds`.
export function runLoad(url: string, connections: number, seconds: number): { record: LoadRecord; done: Promise<LoadRecord> } {
  const record: LoadRecord = { samples: [], errors: [], startedAt: Date.now(), endedAt: 0 };
  const done = new Promise<LoadRecord>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, timeout: 20 }, (err) => {
      record.endedAt = Date.now();
      if (err) reject(err);
      else resolve(record);
    });
    instance.on('response', (_client, status, _bytes, ms) => record.samples.push({ at: Date.now(), ms, status }));
    instance.on('reqError', (error) => record.errors.push({ at: Date.now(), code: error.code ?? error.message }));
  });
  return { record, done };
}
