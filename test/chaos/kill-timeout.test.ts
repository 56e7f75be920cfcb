// Scenario 6: a worker that ignores finish-and-exit gets SIGKILL at kill_timeout. Never before
// it; within 10 % in the full run (an idle machine, figures for docs/reliability.md), within
// a generous bound inside `npm test`, which must pass on a busy machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { FULL, report, scale } from '../helpers/chaos.js';

test('SIGKILL arrives at kill_timeout: never before it, and not long after', { timeout: 60_000 }, async () => {
  const killTimeout = scale(2000, 1000);
  const rounds = scale(5, 2);
  const latest = killTimeout * (FULL ? 1.1 : 3);
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'deaf', script: fixture('ignores-shutdown.mjs'), args: [dir], instances: 1, wait_ready: true, kill_timeout: killTimeout }] });
  const m = startMaster(['run', file]);
  const delays: number[] = [];
  try {
    await m.waitForEvent({ event: 'app-started', app: 'deaf' });
    for (let gen = 1; gen <= rounds; gen++) {
      const after = m.mark();
      m.signal('SIGHUP');
      const drain = await m.waitForEvent({ event: 'worker-state', app: 'deaf', worker: 0, generation: gen, to: 'draining' }, { after });
      const exit = await m.waitForEvent({ event: 'worker-exit', app: 'deaf', worker: 0, generation: gen, signal: 'SIGKILL' }, { after, timeoutMs: killTimeout * 10 });
      delays.push(Date.parse(String(exit.time)) - Date.parse(String(drain.time)));
    }
    for (const d of delays) {
      assert.ok(d >= killTimeout * 0.9, `killed after ${d} ms, before kill_timeout ${killTimeout} ms`);
      assert.ok(d <= latest, `killed after ${d} ms, expected kill_timeout ${killTimeout} ms (at most ${latest} ms)`);
    }
    report({ id: '6', scenario: 'Worker ignores finish-and-exit', load: '1 worker', faults: `${rounds} reloads, worker ignores shutdown`, lost: 'none', result: `SIGKILL after ${delays.join(', ')} ms (kill_timeout ${killTimeout} ms)` });
  } finally {
    m.signal('SIGQUIT');
    await stopMaster(m);
  }
});
