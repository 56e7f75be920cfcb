// Drives autocannon and records every response and error with its time, so latency can be
// split into steady state and reload windows afterwards.
//
// Latency is the gap since the previous response on the same connection (pipelining 1, so
// each connection is a closed loop: response, next request at once). autocannon's own
// responseTime is wrong after a `Connection: close`: it writes one more request to the
// closing socket, and that lost entry stays at the head of its pipelined-request queue, so
// every later response on the connection is timed against an older request.
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

// Runs `connections` keep-alive connections against `url` for `seconds`, or until stop().
export function runLoad(url: string, connections: number, seconds: number): { record: LoadRecord; done: Promise<LoadRecord>; stop: () => void } {
  let stop = () => undefined as void;
  const record: LoadRecord = { samples: [], errors: [], startedAt: Date.now(), endedAt: 0 };
  const done = new Promise<LoadRecord>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, timeout: 20 }, (err) => {
      record.endedAt = Date.now();
      if (err) reject(err);
      else resolve(record);
    });
    stop = () => instance.stop();
    const last = new Map<unknown, bigint>();
    const start = process.hrtime.bigint();
    instance.on('response', (client, status) => {
      const now = process.hrtime.bigint();
      record.samples.push({ at: Date.now(), ms: Number(now - (last.get(client) ?? start)) / 1e6, status });
      last.set(client, now);
    });
    instance.on('reqError', (error) => record.errors.push({ at: Date.now(), code: error.code ?? error.message }));
  });
  return { record, done, stop: () => stop() };
}
