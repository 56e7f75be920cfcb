// Scenario 7: a reload to a generation whose worker crashes at boot. `supervisor reload`
// exits non-zero with the reason, the reload is aborted, and the old generation serves
// HTTP throughout: keep-alive and fresh connections see no error during or after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { freePort, get } from '../helpers/http.js';
import { keepAliveLoad } from '../helpers/keepalive-load.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf, pidsOfGeneration } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';
import { waitSettled } from '../helpers/control.js';
import { testSignal } from '../helpers/harness.js';

test('a reload to a generation that crashes at boot is aborted; the old generation keeps serving', { timeout: 60_000 }, async () => {
  const attempts = scale(5, 1);
  const dir = tempDir('gs-chaos-bootfail-');
  const port = await freePort();
  const app = (script: string) => ({
    name: 'web', script, args: [dir], instances: 4, wait_ready: true, kill_timeout: '10s', listen: [`tcp://127.0.0.1:${port}`], env: { CONN_LOG: path.join(dir, 'conns.log') },
  });
  const file = writeConfig(dir, { apps: [app(fixture('conn-http-worker.mjs'))] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const before = workersOf(m.pid).map((w) => w.pid).sort();
    const load = keepAliveLoad(port, 8);
    await waitFor('the load being served', () => load.stats.ok >= 20);
    writeConfig(dir, { apps: [app(fixture('crash-at-boot.mjs'))] });
    let fresh = 0;
    const freshErrors: string[] = [];
    const codes = new Set<number | null>();
    const ended = testSignal();
    for (let i = 0; i < attempts; i++) {
      const reloading = cli(m.home, ['reload']);
      let answered = false;
      void reloading.then(() => (answered = true));
      // Fresh connections during the reload, one after another, until it is answered
      // (or the test ends: then the loop must not run on behind the next test).
      while (!answered) {
        ended.throwIfAborted();
        try {
          const r = await get(port, '/');
          assert.equal(r.status, 200);
          fresh++;
        } catch (error) {
          freshErrors.push(String(error));
        }
      }
      const res = await reloading;
      assert.notEqual(res.code, 0, 'supervisor reload fails');
      assert.match(res.stderr, /reload failed: .*aborted: worker \d+ \(pid \d+\) exited before it was ready \(code 2\); generation 1 keeps serving/);
      codes.add(res.code);
    }
    const settled = await waitSettled(m.home);
    assert.equal(settled.apps[0]!.generation, 1, 'the app is still at generation 1');
    assert.deepEqual(pidsOfGeneration(m.pid, 1), before, 'the old workers were never touched');
    // And after: the old generation still answers.
    for (let i = 0; i < 10; i++) assert.equal((await get(port, '/')).status, 200);
    const okBefore = load.stats.ok;
    await waitFor('keep-alive requests after the aborted reloads', () => load.stats.ok >= okBefore + 50);
    const stats = await load.stop();
    assert.deepEqual(stats.errors, [], 'the keep-alive load saw no error');
    assert.deepEqual(freshErrors, [], 'fresh connections saw no error');
    assert.ok(fresh > 0, 'fresh connections were made during the reloads');
    assert.equal(m.countEvents({ event: 'worker-restart-scheduled' }), 0, 'a boot failure of a new generation is an abort, not a crash loop');
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);
    report({
      id: '7',
      scenario: 'Reload to a generation that crashes at boot',
      load: `4 HTTP workers, 8 keep-alive connections + fresh connections (${stats.ok + fresh + 10} requests)`,
      faults: `${attempts} x supervisor reload to a worker that exits 2 at boot`,
      lost: '0 failed requests',
      result: `every reload aborted, supervisor reload exited ${[...codes].join('/')} with the reason; generation 1 kept serving with the same pids`,
    });
  } finally {
    await stopMaster(m);
  }
});
