// Scenario 6: a worker that ignores finish-and-exit gets SIGKILL at kill_timeout (+-10 %).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { report, scale } from '../helpers/chaos.js';

const stamp = (line: string) => Date.parse(line.slice(0, 24));

test('SIGKILL arrives at kill_timeout, within 10 %', { timeout: 60_000 }, async () => {
  const killTimeout = scale(2000, 1000);
  const rounds = scale(5, 2);
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'deaf', script: fixture('ignores-shutdown.mjs'), args: [dir], instances: 1, wait_ready: true, kill_timeout: killTimeout }] });
  const m = startMaster(['run', file]);
  const delays: number[] = [];
  try {
    await m.waitForLine(/app deaf: all workers ready/);
    for (let gen = 1; gen <= rounds; gen++) {
      const from = m.lines.length;
      m.signal('SIGHUP');
      const drain = await m.waitForLine(new RegExp(`deaf#0 gen ${gen} .*ready -> draining`), 10_000, from);
      const exit = await m.waitForLine(new RegExp(`deaf#0 gen ${gen} .*exited with signal SIGKILL`), killTimeout * 3, from);
      delays.push(stamp(exit) - stamp(drain));
    }
    for (const d of delays) assert.ok(Math.abs(d - killTimeout) <= killTimeout * 0.1, `killed after ${d} ms, expected ${killTimeout} +-10 %`);
    report({ id: '6', scenario: 'Worker ignores finish-and-exit', load: '1 worker', faults: `${rounds} reloads, worker ignores shutdown`, lost: 'none', result: `SIGKILL after ${delays.join(', ')} ms (kill_timeout ${killTimeout} ms)` });
  } finally {
    m.signal('SIGQUIT');
    await m.exited;
    await stopMaster(m);
  }
});
