// A small keep-alive HTTP load generator for the chaos scenarios: `connections` loops share
// one keep-alive agent; every failed request is kept with the client port it used, so the
// test can tell which worker's connection it was.
import http from 'node:http';
import { testSignal } from './harness.js';

// One failed request: when, on which client port (null before it connected), and why.
export interface LoadError { readonly at: number; readonly localPort: number | null; readonly message: string }

// What the load saw: answers, failures, and the worker pids that answered.
export interface LoadStats { ok: number; readonly errors: LoadError[]; readonly servedBy: Set<number> }

// A running load; stop() waits for the requests in flight and returns the figures.
export interface Load { readonly stats: LoadStats; stop(): Promise<LoadStats> }

function once(port: number, agent: http.Agent, stats: LoadStats): Promise<void> {
  return new Promise((resolve) => {
    let localPort: number | null = null;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      stats.errors.push({ at: Date.now(), localPort, message });
      resolve();
    };
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
      res.on('end', () => {
        if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode}`);
        if (settled) return;
        settled = true;
        stats.ok++;
        stats.servedBy.add(Number(res.headers['x-worker-pid'] ?? 0));
        resolve();
      });
    });
    req.on('socket', (s) => {
      if (s.localPort) localPort = s.localPort;
      else s.once('connect', () => (localPort = s.localPort ?? null));
    });
    req.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
  });
}

// Starts `connections` request loops against 127.0.0.1:`port`, each reusing its connection.
// The loops stop at stop(), or when the test ends (a failed test never calls stop()).
export function keepAliveLoad(port: number, connections: number): Load {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, scheduling: 'fifo' });
  const stats: LoadStats = { ok: 0, errors: [], servedBy: new Set() };
  const ended = testSignal();
  let running = true;
  const loops = Array.from({ length: connections }, async () => {
    while (running && !ended.aborted) await once(port, agent, stats);
  });
  return {
    stats,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return stats;
    },
  };
}
