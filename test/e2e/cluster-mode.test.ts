// Cluster mode's mechanism (src/cluster): the master keeps an app's sockets across crashes and
// scaling; listen(0) behaves as in Node's cluster; unix paths, `listen` (which wins) and
// Node's errors; and a worker that speaks the protocol itself cannot make the master bind
// more than its cap, nor hang it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { statSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster, type MasterProcess } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { freePort, get } from '../helpers/http.js';
import { cli } from '../helpers/cli.js';
import { pidsOfGeneration, workersOf } from '../helpers/workers.js';
import { waitFor } from '../helpers/wait.js';
import type { LogEvent } from '../helpers/log-events.js';
import { MAX_CLUSTER_SOCKETS } from '../../src/cluster/cluster-sockets.js';
import { MAX_REQUESTS_PER_WORKER } from '../../src/cluster/worker-port.js';

const REPORTER = fixture('cluster/listen-report.cjs');

// The worker's report lines ("listen #i ok {...}" / "listen #i error CODE"), by worker pid.
function reports(m: MasterProcess, generation: number): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const e of m.events) {
    if (e.event !== 'worker-output' || e.generation !== generation || typeof e.message !== 'string' || !e.message.startsWith('listen #')) continue;
    out.set(Number(e.pid), [...(out.get(Number(e.pid)) ?? []), e.message]);
  }
  return out;
}

const portIn = (line: string) => Number(/"port":(\d+)/.exec(line)?.[1]);

// GETs through a unix socket.
function getUnix(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: '/' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject).setTimeout(10_000, () => req.destroy(new Error('timed out')));
  });
}

test('the socket outlives a crash (a request sent while no worker runs waits and is served) and scaling, new workers inherit it; a stop closes it', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const file = writeConfig(tempDir(), { apps: [{ name: 'web', script: fixture('cluster/plain-http.cjs'), instances: 1, env: { PORT: String(port), HOST: '127.0.0.1' }, restart_delay: '1s' }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    await m.waitForEvent({ event: 'worker-listen', app: 'web', outcome: 'bound', address: `127.0.0.1:${port}` });
    assert.match((await cli(m.home, ['describe', 'web'])).stdout, /^exec_mode: {3}cluster$/m, 'instances on a Node.js script: cluster mode (PM2\'s rule)');
    const [first] = pidsOfGeneration(m.pid, 1);
    assert.equal((await get(port)).headers['x-worker-pid'], String(first));
    const after = m.mark();
    process.kill(first!, 'SIGKILL');
    await m.waitForEvent({ event: 'worker-exit', app: 'web', pid: first! }, { after });
    // No worker runs for the next second (restart_delay): the connection waits in the backlog.
    const during = await get(port);
    const second = pidsOfGeneration(m.pid, 1).find((p) => p !== first);
    assert.equal(during.status, 200);
    assert.equal(during.headers['x-worker-pid'], String(second), 'served by the replacement, never refused');
    const scaled = await cli(m.home, ['scale', 'web', '3']);
    assert.equal(scaled.code, 0, scaled.stderr);
    await waitFor('3 workers', () => pidsOfGeneration(m.pid, 1).length === 3);
    const seen = new Set<string>();
    await waitFor('all 3 serving the port', async () => seen.add(String((await get(port)).headers['x-worker-pid'])) && seen.size === 3, 30_000, 1);
    assert.equal(m.countEvents({ event: 'worker-listen' }), 1, 'bound once for the first worker; every later one inherited it');
    // A stopped app refuses connections; started again, it binds anew.
    assert.equal((await cli(m.home, ['stop', 'web'])).code, 0);
    await assert.rejects(get(port), /ECONNREFUSED/);
    assert.equal((await cli(m.home, ['start', 'web'])).code, 0);
    assert.equal((await get(port)).status, 200);
    await waitFor('bound anew', () => m.countEvents({ event: 'worker-listen', outcome: 'bound' }) === 2);
  } finally {
    await stopMaster(m);
  }
});

test('listen(0) as in Node\'s cluster: every worker\'s first listen(0) shares one port, its second another; both kept across a reload', { timeout: 60_000 }, async () => {
  const file = writeConfig(tempDir(), {
    apps: [{ name: 'zero', script: REPORTER, exec_mode: 'cluster', instances: 2, env: { LISTENS: JSON.stringify([[0, '127.0.0.1'], [0, '127.0.0.1', 'cb']]) } }],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'zero' });
    await waitFor('both workers report both listens', () => [...reports(m, 1).values()].filter((l) => l.length === 2).length === 2, 20_000);
    const ports = (generation: number) => [...reports(m, generation).values()].map((lines) => lines.sort().map(portIn));
    const [a, b] = ports(1);
    assert.deepEqual(a, b, 'the two workers got the same two ports');
    assert.notEqual(a![0], a![1], 'a worker\'s second listen(0) is another port');
    assert.ok(a!.every((p) => p > 0));
    const after = m.mark();
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-done', app: 'zero', generation: 2 }, { after });
    await waitFor('gen 2 reports', () => [...reports(m, 2).values()].filter((l) => l.length === 2).length === 2, 20_000);
    assert.deepEqual(ports(2), [a, a], 'gen 2 listens on the same ports');
    assert.equal(m.countEvents({ event: 'worker-listen', outcome: 'bound' }), 2);
    assert.ok(m.findEvent({ event: 'worker-output', message: /^callback #1$/ }), 'the listen callback runs');
    for (const p of a!) assert.equal((await get(p)).status, 200);
  } finally {
    await stopMaster(m);
  }
});

test('a unix path (relative to the worker\'s cwd) is bound by the master; an address of the app\'s `listen` is served from it ("listen" wins)', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const port = await freePort();
  const file = writeConfig(dir, {
    apps: [{ name: 'both', script: REPORTER, cwd: dir, exec_mode: 'cluster', instances: 2, listen: `tcp://127.0.0.1:${port}`, env: { LISTENS: JSON.stringify([[port], [{ path: 'app.sock', readableAll: true }]]) } }],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'both' });
    await waitFor('both workers report both listens', () => [...reports(m, 1).values()].filter((l) => l.length === 2).length === 2, 20_000);
    for (const lines of reports(m, 1).values()) assert.ok(lines.every((l) => / ok /.test(l)), lines.join('\n'));
    const sock = path.join(dir, 'app.sock');
    // The worker reports its listening before the master logs the handoff's acknowledgement.
    await waitFor('both handoffs logged', () => m.countEvents({ event: 'worker-listen' }) === 2);
    const listens = m.events.filter((e: LogEvent) => e.event === 'worker-listen');
    assert.deepEqual(listens.map((e) => e.address), [`unix:${sock}`, `unix:${sock}`], 'only the unix path was asked for: the port came from `listen`');
    assert.match(await getUnix(sock), /^#1 \d+/);
    assert.equal(statSync(sock).mode & 0o444, 0o444, 'readableAll: the master made the socket file readable by all');
    assert.match((await get(port)).body, /^#0 \d+/);
  } finally {
    await stopMaster(m);
  }
});

test('a port another app holds fails the worker\'s listen with EADDRINUSE, as Node would; other listens of that worker work', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const other = await freePort();
  const file = writeConfig(tempDir(), {
    apps: [
      { name: 'owner', script: fixture('cluster/plain-http.cjs'), exec_mode: 'fork', listen: `tcp://127.0.0.1:${port}`, env: { PORT: String(other), HOST: '127.0.0.1' } },
      { name: 'late', script: REPORTER, exec_mode: 'cluster', env: { LISTENS: JSON.stringify([[port, '127.0.0.1'], [0, '127.0.0.1'], [70000]]) } },
    ],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'late' });
    const failed = await m.waitForEvent({ event: 'worker-listen', app: 'late', outcome: 'failed' });
    assert.match(String(failed.error), new RegExp(`held by app "owner"`));
    await waitFor('the worker\'s reports', () => [...reports(m, 1).values()].flat().length === 3, 20_000);
    const lines = [...reports(m, 1).values()].flat().sort();
    assert.equal(lines[0], 'listen #0 error EADDRINUSE');
    assert.match(lines[1]!, /^listen #1 ok \{"address":"127\.0\.0\.1"/);
    assert.equal(lines[2], 'listen #2 threw ERR_SOCKET_BAD_PORT', 'a bad port throws Node\'s own error, at once');
  } finally {
    await stopMaster(m);
  }
});

test('a worker asking for socket after socket gets at most the app\'s cap, then errors; a malformed request breaks it; the master stays responsive', { timeout: 90_000 }, async () => {
  const count = MAX_REQUESTS_PER_WORKER + 6;
  const file = writeConfig(tempDir(), { apps: [{ name: 'flood', script: fixture('cluster/listen-flood.cjs'), exec_mode: 'cluster', env: { COUNT: String(count) }, restart_delay: '30s' }] });
  const m = startMaster(['run', file]);
  try {
    const done = await m.waitForEvent({ event: 'worker-output', app: 'flood', message: /^flood / }, { timeoutMs: 60_000 });
    const codes = { EMFILE: count - MAX_CLUSTER_SOCKETS };
    assert.equal(done.message, `flood ${MAX_CLUSTER_SOCKETS} handles ${count - MAX_CLUSTER_SOCKETS} errors ${JSON.stringify(codes)}`);
    assert.equal(m.countEvents({ event: 'worker-listen', outcome: 'bound' }), MAX_CLUSTER_SOCKETS);
    await m.waitForEvent({ event: 'worker-broken', app: 'flood', reason: /supervisor:listen message without an id/ });
    const status = await cli(m.home, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(workersOf(m.pid).filter((w) => w.app === 'flood').length <= 1, true);
  } finally {
    await stopMaster(m);
  }
});

test('without wait_ready a cluster-mode worker is ready once it listens (as PM2 has it), not at min_uptime; with wait_ready, listening is not enough', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const file = writeConfig(tempDir(), {
    apps: [
      { name: 'quick', script: fixture('cluster/plain-http.cjs'), instances: 2, min_uptime: '60s', env: { PORT: String(port), HOST: '127.0.0.1' } },
      { name: 'waits', script: REPORTER, exec_mode: 'cluster', wait_ready: true, listen_timeout: '3s', start_retries: 0, env: { LISTENS: JSON.stringify([[0, '127.0.0.1']]) } },
    ],
  });
  const m = startMaster(['run', file]);
  try {
    const started = await m.waitForEvent({ event: 'app-started', app: 'quick' }, { timeoutMs: 30_000 });
    const spawned = m.findEvent({ event: 'worker-spawned', app: 'quick' })!;
    assert.ok(Date.parse(String(started.time)) - Date.parse(String(spawned.time)) < 30_000, 'ready long before min_uptime');
    await m.waitForEvent({ event: 'worker-listen', app: 'waits', outcome: 'bound' });
    await m.waitForEvent({ event: 'worker-ready-timeout', app: 'waits' });
    assert.equal(m.countEvents({ event: 'app-started', app: 'waits' }), 0);
  } finally {
    await stopMaster(m);
  }
});

test('on SIGTERM an app without a handler drains and then dies by the signal; an app with its own (`once`) handler exits when it decides', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const file = writeConfig(tempDir(), {
    apps: [
      { name: 'plain', script: fixture('cluster/plain-http.cjs'), exec_mode: 'cluster', env: { PORT: String(port), HOST: '127.0.0.1' } },
      { name: 'own', script: fixture('cluster/own-handler.cjs'), exec_mode: 'cluster' },
    ],
  });
  const m = startMaster(['run', file]);
  await m.waitForEvent({ event: 'app-started', app: 'plain' });
  await m.waitForEvent({ event: 'app-started', app: 'own' });
  const after = m.mark();
  await stopMaster(m);
  const plain = m.findEvent({ event: 'worker-exit', app: 'plain' }, after);
  const own = m.findEvent({ event: 'worker-exit', app: 'own' }, after);
  assert.equal(plain?.signal, 'SIGTERM', 'no handler: the signal ends it, as without the supervisor');
  assert.equal(own?.code, 0, 'its own handler exited 0, after its clean-up');
  assert.ok(m.findEvent({ event: 'worker-output', app: 'own', message: 'cleaned up' }, after));
});
