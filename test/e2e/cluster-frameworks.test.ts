// Cluster mode with unmodified apps: plain `http`, Express, Koa (ESM) and Fastify (ESM), each
// calling listen(PORT) in every instance as they do under PM2's cluster mode. N instances serve
// one port; rolling reloads under keep-alive load fail no request; the master binds the socket
// once and every later worker inherits it. And a PM2 cluster-mode file with the Express app
// starts as PM2 users start it: `supervisor start ecosystem.config.js --env production`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { freePort, get } from '../helpers/http.js';
import { keepAliveLoad } from '../helpers/keepalive-load.js';
import { environ, pidsOfGeneration, workersOf } from '../helpers/workers.js';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const INSTANCES = 3;
const APPS = [
  { name: 'plain http', script: 'plain-http.cjs' },
  { name: 'Express', script: 'express-app.cjs' },
  { name: 'Koa', script: 'koa-app.mjs' },
  { name: 'Fastify', script: 'fastify-app.mjs' },
] as const;

for (const app of APPS) {
  test(`${app.name}, unmodified, in cluster mode: ${INSTANCES} instances on one port, 2 rolling reloads under keep-alive load, 0 failed requests, the socket bound once`, { timeout: 120_000 }, async () => {
    const port = await freePort();
    const file = writeConfig(tempDir(), {
      apps: [{ name: 'web', script: fixture(`cluster/${app.script}`), exec_mode: 'cluster', instances: INSTANCES, env: { PORT: String(port) }, kill_timeout: '10s' }],
    });
    const m = startMaster(['run', file]);
    try {
      await m.waitForEvent({ event: 'app-started', app: 'web' });
      await waitFor('every worker of gen 1 listening', () => new Set(m.events.filter((e) => e.event === 'worker-listen' && e.outcome !== 'failed').map((e) => e.worker)).size === INSTANCES, 20_000);
      // Fresh connections land on every instance (the kernel wakes them in turn).
      const gen1 = pidsOfGeneration(m.pid, 1);
      const served = new Set<number>();
      await waitFor('every instance serving the one port', async () => {
        served.add(Number((await get(port)).headers['x-worker-pid']));
        return gen1.every((pid) => served.has(pid));
      }, 30_000, 1);
      const load = keepAliveLoad(port, 20);
      for (const generation of [2, 3]) {
        const after = m.mark();
        m.signal('SIGHUP');
        await m.waitForEvent({ event: 'reload-done', app: 'web', generation }, { after, timeoutMs: 30_000 });
      }
      const gen3 = pidsOfGeneration(m.pid, 3);
      assert.equal(gen3.length, INSTANCES);
      await waitFor('the new workers serving', () => gen3.some((pid) => load.stats.servedBy.has(pid)), 20_000);
      const stats = await load.stop();
      assert.deepEqual(stats.errors, [], `failed requests during the reloads (${stats.ok} answered)`);
      assert.ok(stats.ok > 100, `${stats.ok} requests answered`);
      const bound = m.events.filter((e) => e.event === 'worker-listen' && e.outcome === 'bound');
      assert.ok(bound.length >= 1 && bound.every((e) => e.generation === 1), 'the master bound the port when gen 1 asked');
      assert.equal(new Set(bound.map((e) => e.address)).size, bound.length, 'each address bound once');
      assert.equal(m.countEvents({ event: 'worker-listen', generation: 2 }) + m.countEvents({ event: 'worker-listen', generation: 3 }), 0, 'later workers inherited the socket');
      assert.equal(m.countEvents({ event: 'worker-exit', outcome: 'crash' }), 0);
      assert.equal(m.countEvents({ event: 'worker-listen', outcome: 'failed' }), 0);
    } finally {
      await stopMaster(m);
    }
  });
}

test('a PM2 cluster-mode ecosystem.config.js (exec_mode, instances 4, node_args, env_production) with an unmodified Express app: `supervisor start <file> --env production`', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const port = await freePort();
  const file = path.join(dir, 'ecosystem.config.js');
  const app = { name: 'web', script: fixture('cluster/express-app.cjs'), exec_mode: 'cluster', instances: 4, node_args: '--max-old-space-size=256', env: { NODE_ENV: 'development', PORT: port }, env_production: { NODE_ENV: 'production', PORT: port } };
  writeFileSync(file, `module.exports = ${JSON.stringify({ apps: [app], metrics: false }, null, 2)};\n`);
  try {
    const started = await cli(home, ['start', file, '--env', 'production']);
    assert.equal(started.code, 0, started.stderr);
    const master = pidfilePid(home)!;
    const workers = workersOf(master);
    assert.equal(workers.length, 4);
    for (const w of workers) {
      assert.equal(environ(w.pid)?.NODE_ENV, 'production');
      assert.ok(readFileSync(`/proc/${w.pid}/cmdline`, 'utf8').split('\0').includes('--max-old-space-size=256'), 'node_args reach node');
    }
    const served = new Set<string>();
    await waitFor('all 4 instances serving the one port', async () => served.add(String((await get(port)).headers['x-worker-pid'])) && served.size === 4, 30_000, 1);
    const reloaded = await cli(home, ['reload']);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    assert.equal((await get(port)).status, 200);
  } finally {
    await cli(home, ['stop']);
    await killDaemon(home);
  }
});
