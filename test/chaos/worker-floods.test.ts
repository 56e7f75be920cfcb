// Scenario I1: workers that write 1 GB without a newline to stdout, to stderr, and into their
// IPC channel, as the master's own user and (when root) as nobody, while an HTTP app beside
// them is under keep-alive load. The master survives with its RSS under +50 MB, the HTTP app
// answers every request, the long lines are logged as truncated, and a worker that broke its
// IPC channel is killed, logged and replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/http.js';
import { keepAliveLoad } from '../helpers/keepalive-load.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { mb, rssOf, sampleRss } from '../helpers/rss.js';
import { report, scale } from '../helpers/chaos.js';
import { nobodyCannot } from '../helpers/nobody.js';

const MAX_GROWTH = 50 * 1024 * 1024;

type Target = 'stdout' | 'stderr' | 'ipc';

async function floodScenario(target: Target, id: string): Promise<void> {
  const bytes = scale(1024 ** 3, 64 * 1024 ** 2);
  const dir = tempDir(`gs-chaos-flood-${target}-`);
  const port = await freePort();
  const users = nobodyCannot() === null ? ['self', 'nobody'] : ['self'];
  const flooders = users.map((who) => ({
    name: `flood-${who}`,
    script: fixture('flood.mjs'),
    args: [dir],
    wait_ready: true,
    kill_timeout: '2s',
    env: { FLOOD_TARGET: target, FLOOD_BYTES: String(bytes) },
    ...(who === 'nobody' ? { uid: 'nobody', cwd: '/tmp' } : {}),
  }));
  const file = writeConfig(dir, {
    apps: [
      { name: 'web', script: fixture('conn-http-worker.mjs'), args: [dir], instances: 2, wait_ready: true, listen: [`tcp://127.0.0.1:${port}`], env: { CONN_LOG: path.join(dir, 'conns.log') } },
      ...flooders,
    ],
  });
  const m = startMaster(['run', file]);
  try {
    for (const app of ['web', ...flooders.map((f) => f.name)]) await m.waitForEvent({ event: 'app-started', app: `${app}` }, { timeoutMs: 20_000 });
    const load = keepAliveLoad(port, 8);
    await waitFor('the load being served', () => load.stats.ok >= 20);
    const baseline = rssOf(m.pid)!;
    const rss = sampleRss(m.pid);
    const before = workersOf(m.pid).filter((w) => w.app.startsWith('flood-'));
    assert.equal(before.length, flooders.length);
    const t0 = Date.now();
    for (const w of before) process.kill(w.pid, 'SIGUSR2');
    for (const f of flooders) {
      const old = before.find((w) => w.app === f.name)!.pid;
      if (target === 'ipc') {
        await m.waitForEvent({ event: 'worker-broken', app: f.name, worker: 0, pid: old, reason: /IPC|channel/ }, { timeoutMs: scale(120_000, 30_000) });
        await waitFor(`a new ${f.name} worker`, () => workersOf(m.pid).some((w) => w.app === f.name && w.pid !== old), 20_000);
      } else {
        await m.waitForEvent({ event: 'worker-output', app: f.name, worker: 0, message: 'flood done' }, { timeoutMs: scale(120_000, 30_000) });
      }
    }
    const floodMs = Date.now() - t0;
    const peak = rss.stop();
    const stats = await load.stop();
    assert.equal(m.child.exitCode, null, 'the master is running');
    assert.ok(peak - baseline < MAX_GROWTH, `master RSS ${mb(baseline)} -> peak ${mb(peak)}: under +50 MB`);
    assert.deepEqual(stats.errors, [], 'the HTTP app answered every request');
    if (target !== 'ipc') {
      for (const f of flooders) {
        assert.equal(m.countEvents({ event: 'worker-output', app: f.name, worker: 0, truncated: true, message: /^x+$/ }), 1, `${f.name}: the long line is logged once, as truncated`);
        const pid = before.find((w) => w.app === f.name)!.pid;
        assert.equal(m.countEvents({ event: 'worker-line-truncated', app: f.name, worker: 0, generation: 1, pid, stream: target, maxBytes: 65536 }), 1, `${f.name}: the master says which worker wrote it, once`);
      }
    }
    assert.ok(stats.ok > 0);
    const replaced = target === 'ipc' ? `, ${flooders.length} flooder(s) killed and replaced` : '';
    assert.equal((await stopMaster(m)).code, 0, 'the master stops cleanly');
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 5000);
    report({
      id,
      scenario: `Worker writes ${mb(bytes)} without a newline to ${target === 'ipc' ? 'its IPC channel' : target}`,
      load: `HTTP app, 2 workers, 8 keep-alive connections (${stats.ok} requests answered)`,
      faults: `${flooders.length} worker(s) (${users.join(' + ')}) each writing ${mb(bytes)} of "x" with no newline`,
      lost: `0 failed requests${replaced}`,
      result: `master RSS ${mb(baseline)} -> peak ${mb(peak)} (+${mb(peak - baseline)}); ${target === 'ipc' ? 'channel closed at the 1 MB message cap' : 'each long line logged once, truncated, and the worker named in a warning'}; done in ${(floodMs / 1000).toFixed(1)} s`,
    });
  } finally {
    await stopMaster(m);
  }
}

test('a worker writing without a newline to stdout cannot hurt the master', { timeout: 180_000 }, () => floodScenario('stdout', 'I1a'));
test('a worker writing without a newline to stderr cannot hurt the master', { timeout: 180_000 }, () => floodScenario('stderr', 'I1b'));
test('a worker writing without a newline into its IPC channel is killed and replaced', { timeout: 180_000 }, () => floodScenario('ipc', 'I1c'));
