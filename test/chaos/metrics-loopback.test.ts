// Security S3: the metrics endpoint binds to loopback unless the config names another
// address. Read from the kernel (/proc/net/tcp*), not from the master's own log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listeningAddresses } from '../helpers/procs.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { metricsUrl } from '../helpers/metrics.js';
import { report } from '../helpers/chaos.js';

// What a master with this `metrics` key listens on (from the kernel), and the port it chose.
async function boundAddress(metrics: Record<string, unknown>): Promise<{ bound: string[]; port: number }> {
  const dir = tempDir('gs-chaos-s3-');
  const file = writeConfig(dir, { metrics, apps: [{ name: 'idle', script: fixture('slow-boot.mjs'), args: [dir], instances: 1, wait_ready: true, env: { READY_DELAY_MS: '10' } }] });
  const m = startMaster(['run', file]);
  try {
    const port = Number(new URL(await metricsUrl(m)).port);
    return { bound: listeningAddresses(m.pid), port };
  } finally {
    await stopMaster(m);
  }
}

test('the metrics endpoint listens on 127.0.0.1 by default and on 0.0.0.0 only when configured', { timeout: 30_000 }, async () => {
  const byDefault = await boundAddress({ port: 0 });
  assert.deepEqual(byDefault.bound, [`127.0.0.1:${byDefault.port}`], 'only loopback without a host');
  const configured = await boundAddress({ host: '0.0.0.0', port: 0 });
  assert.deepEqual(configured.bound, [`0.0.0.0:${configured.port}`], 'every address when configured');
  report({
    id: 'S3',
    scenario: 'Metrics endpoint address',
    load: '1 worker',
    faults: 'none (bound address read from /proc/net/tcp)',
    lost: 'none',
    result: 'binds 127.0.0.1 by default; 0.0.0.0 only with metrics.host "0.0.0.0"; the master listens on nothing else',
  });
});
