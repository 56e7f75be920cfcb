// Starting with the metrics port already taken fails at once with one clear error naming
// the address and the fix, and leaves no worker behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { pidsMatching } from '../helpers/procs.js';

test('a metrics port already in use is a clear startup error', { timeout: 30_000 }, async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  const dir = tempDir();
  const file = writeConfig(dir, {
    metrics: { host: '127.0.0.1', port },
    apps: [{ name: 'jobs', script: fixture('metrics-worker.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '5s' }],
  });
  const m = startMaster(['run', file]);
  try {
    const { code } = await m.exited;
    assert.equal(code, 1);
    // The wording is what is checked: the error names the address, the fix and the file.
    const errors = m.events.filter((e) => e.level === 'error' && e.message.includes(`127.0.0.1:${port} is already in use`));
    assert.ok(errors.length >= 1, m.lines.join('\n'));
    assert.ok(errors.every((e) => e.message.includes(`"metrics": false in ${file}`)), 'the error says what to change, and where');
    assert.ok(m.findEvent({ level: 'error', message: /^start failed:/ }), m.lines.join('\n'));
    await waitFor('no worker left', () => pidsMatching(dir).length === 0, 10_000);
  } finally {
    await stopMaster(m);
    blocker.close();
  }
});
