// Listening sockets owned by the master: they survive a reload (a busy keep-alive client
// sees no error, a fresh connection is served), a non-Node worker gets correct LISTEN_*,
// and a port already in use fails the start with a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture, ROOT } from '../helpers/paths.js';
import { freePort, get } from '../helpers/http.js';
import { workersOf } from '../helpers/workers.js';
import { waitFor } from '../helpers/wait.js';
import { testSignal } from '../helpers/harness.js';

const genOf = (body: string) => Number(/generation (\d+)/.exec(body)?.[1]);

test('a reload keeps the socket: a busy keep-alive client gets no error and fresh connections are served', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const file = writeConfig(tempDir(), {
    apps: [{ name: 'web', script: path.join(ROOT, 'examples/http-worker.js'), instances: 2, listen: [`tcp://127.0.0.1:${port}`], wait_ready: true, kill_timeout: '10s' }],
  });
  const m = startMaster(['run', file]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const busy = { stop: false, errors: [] as string[], gens: [] as number[], closes: 0 };
    const ended = testSignal();
    const busyLoop = (async () => {
      while (!busy.stop && !ended.aborted) {
        try {
          const r = await get(port, '/', agent);
          assert.equal(r.status, 200);
          busy.gens.push(genOf(r.body));
          if (r.headers.connection === 'close') busy.closes++;
        } catch (error) {
          busy.errors.push(String(error));
        }
      }
    })();
    await waitFor('the busy client being served', () => busy.gens.length >= 3);
    const before = busy.gens.length;
    const after = m.mark();
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-started', app: 'web', from: 1, to: 2 }, { after });
    const fresh: number[] = [];
    const freshErrors: string[] = [];
    const reloadEnded = () => m.findEvent({ event: /^reload-(done|aborted)$/, app: 'web' }, after);
    while (!reloadEnded()) {
      ended.throwIfAborted();
      try {
        const r = await get(port, '/');
        assert.equal(r.status, 200);
        fresh.push(genOf(r.body));
      } catch (error) {
        freshErrors.push(String(error));
      }
    }
    await m.waitForEvent({ event: 'reload-done', app: 'web', generation: 2 }, { after });
    // Keep going until the busy connection has been served by the new generation.
    const deadline = Date.now() + 10_000;
    while (busy.gens.at(-1) !== 2 && Date.now() < deadline) await get(port, '/');
    busy.stop = true;
    await busyLoop;
    assert.deepEqual(busy.errors, [], 'the keep-alive client saw no error');
    assert.deepEqual(freshErrors, [], 'fresh connections during the reload were served');
    assert.ok(fresh.length > 0, 'at least one fresh connection was made during the reload');
    assert.ok(busy.gens.length > before, 'the busy client kept being served');
    assert.equal(busy.gens.at(-1), 2, 'the keep-alive client moved to the new generation');
    assert.ok(busy.closes >= 1, 'the draining worker answered with Connection: close');
    assert.deepEqual(workersOf(m.pid).map((w) => w.generation), [2, 2]);
  } finally {
    agent.destroy();
    await stopMaster(m);
  }
});

test('a Python worker serves HTTP from the inherited fd 3 with LISTEN_PID equal to its pid', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const dir = tempDir();
  const file = writeConfig(dir, {
    apps: [{ name: 'py', script: fixture('socket-activated.py'), interpreter: 'python3', instances: 2, listen: [port, 'unix:py.sock'], wait_ready: true }],
  });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'py' });
    const pids = new Set(workersOf(m.pid).map((w) => w.pid));
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const r = await get(port, '/');
      const info = JSON.parse(r.body) as { pid: number; listen_pid: string; listen_fds: string; listen_fdnames: string };
      assert.equal(info.listen_pid, String(info.pid));
      assert.equal(info.listen_fds, '2');
      assert.equal(info.listen_fdnames, `tcp-0.0.0.0-${port}:unix-py.sock`);
      assert.ok(pids.has(info.pid), `answered by a worker (pid ${info.pid}), never by the master`);
      seen.add(info.pid);
    }
    assert.ok(seen.size >= 1);
    const unix = net.connect(path.join(dir, 'py.sock'));
    await new Promise<void>((resolve, reject) => unix.once('connect', resolve).once('error', reject));
    unix.destroy();
  } finally {
    await stopMaster(m);
  }
});

test('a listen port already in use fails `supervisor run` with a clear error and no worker', { timeout: 30_000 }, async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as net.AddressInfo;
  const file = writeConfig(tempDir(), {
    apps: [{ name: 'web', script: path.join(ROOT, 'examples/http-worker.js'), instances: 2, listen: [`tcp://127.0.0.1:${port}`] }],
  });
  const m = startMaster(['run', file]);
  try {
    const result = await m.exited;
    assert.notEqual(result.code, 0);
    // The error's wording is what a user reads: it names the app, the address and the errno.
    const output = m.lines.join('\n');
    assert.match(output, new RegExp(`app "web": cannot bind tcp://127\\.0\\.0\\.1:${port}: EADDRINUSE`));
    assert.equal(m.countEvents({ event: 'worker-spawned' }), 0, 'no worker was spawned');
  } finally {
    blocker.close();
    await stopMaster(m);
  }
});

test('removing an app from the config closes its socket while the master keeps running', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const dir = tempDir();
  const web = { name: 'web', script: path.join(ROOT, 'examples/http-worker.js'), instances: 1, listen: [`tcp://127.0.0.1:${port}`], wait_ready: true };
  const idle = { name: 'idle', script: fixture('sleeper.sh'), instances: 1 };
  const file = writeConfig(dir, { apps: [web, idle] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    assert.equal((await get(port)).status, 200);
    assert.equal(await canBind(port), false, 'the master holds the port');
    writeConfig(dir, { apps: [idle] });
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'app-stopped', app: 'web' });
    await waitFor('the port to be free again', () => canBind(port));
    assert.equal(m.child.exitCode, null, 'the master keeps running');
  } finally {
    await stopMaster(m);
  }
});

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

test('a draining worker answers a request on an idle keep-alive connection with Connection: close', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const file = writeConfig(tempDir(), {
    apps: [{ name: 'web', script: path.join(ROOT, 'examples/http-worker.js'), instances: 1, listen: [port], wait_ready: true, kill_timeout: '20s', env: { IDLE_GRACE_MS: '10000' } }],
  });
  const m = startMaster(['run', file]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const first = await get(port, '/', agent);
    assert.equal(genOf(first.body), 1);
    assert.notEqual(first.headers.connection, 'close');
    const after = m.mark();
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'worker-state', app: 'web', worker: 0, generation: 1, to: 'draining' }, { after });
    const late = await get(port, '/', agent);
    assert.equal(genOf(late.body), 1, 'the idle connection was not cut: the old worker served it');
    assert.equal(late.headers.connection, 'close');
    await m.waitForEvent({ event: 'reload-done', app: 'web', generation: 2 }, { after });
    assert.equal(genOf((await get(port, '/', agent)).body), 2);
  } finally {
    agent.destroy();
    await stopMaster(m);
  }
});
