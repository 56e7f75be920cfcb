// Scenario 4: 20 concurrent reload and scale requests over the control socket. Every call
// gets an answer, and the final state matches the last scale the master applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from '../../src/cli/control-client.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';
import { socketOf, waitSettled } from '../helpers/control.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';

test('concurrent reload and scale calls: all answered, final scale wins', { timeout: 60_000 }, async () => {
  const calls = scale(20, 12);
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'web', script: fixture('slow-boot.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: 3000, env: { READY_DELAY_MS: '100' } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const sock = socketOf(m.home);
    const scaleOrder: number[] = [];
    const results = await Promise.all(
      Array.from({ length: calls }, (_, i) => {
        if (i % 2 === 0) return request(sock, 'reload', {}, undefined, 50_000).then((r) => ({ kind: 'reload', r }));
        const n = 1 + (i % 4);
        return request(sock, 'scale', { app: 'web', instances: n }, undefined, 50_000).then((r) => {
          scaleOrder.push(n);
          return { kind: 'scale', r };
        });
      }),
    );
    assert.equal(results.length, calls, 'every call got an answer');
    for (const { kind, r } of results) assert.ok(r.ok || /aborted|merged/.test(r.message ?? ''), `${kind}: ${r.message}`);
    const last = scaleOrder.at(-1)!;
    const settled = await waitSettled(m.home, 40_000);
    await waitFor(`${last} workers of the newest generation`, () => {
      const ws = workersOf(m.pid);
      return ws.length === last && ws.every((w) => w.generation === settled.apps[0]!.generation);
    }, 10_000);
    assert.equal(settled.apps[0]!.instances, last);
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('nothing leaked', () => pidsMatching(dir).length === 0, 10_000);
    const reloads = m.countEvents(RELOAD_STARTED);
    report({ id: '4', scenario: 'Concurrent CLI', load: '2-4 workers', faults: `${calls} concurrent reload/scale calls`, lost: 'none', result: `${results.length}/${calls} answered; ${reloads} reloads ran; final ${last} workers = last scale` });
  } finally {
    await stopMaster(m);
  }
});
