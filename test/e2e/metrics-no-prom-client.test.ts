// The SDK does not force prom-client on a worker: a worker that cannot resolve it answers
// metrics requests with nothing at once (no timeout, no failure), and the scrape goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { ROOT } from '../helpers/paths.js';
import { get, metricsUrl, sample } from '../helpers/metrics.js';

test('a worker without prom-client installed answers with no metrics, not a timeout', { timeout: 20_000 }, async () => {
  const dir = tempDir(); // outside the repository: prom-client is not resolvable from here
  const script = path.join(dir, 'plain-worker.mjs');
  const sdk = pathToFileURL(path.join(ROOT, 'dist/src/sdk/index.js')).href;
  writeFileSync(script, `import { ready, onShutdown } from '${sdk}';\nconst t = setInterval(() => {}, 60000);\nonShutdown(() => clearInterval(t));\nready();\n`);
  const file = writeConfig(dir, { metrics: { host: '127.0.0.1', port: 0 }, apps: [{ name: 'plain', script, instances: 2, wait_ready: true }] });
  const m = startMaster(['run', file]);
  try {
    const url = await metricsUrl(m);
    await m.waitForEvent({ event: 'app-started', app: 'plain' });
    const { status, body } = await get(`${url}/metrics`);
    assert.equal(status, 200);
    assert.equal(sample(body, 'supervisor_workers{app="plain",state="ready"}'), 2);
    assert.equal(sample(body, 'supervisor_worker_scrape_failures_total{app="plain",reason="timeout"}'), 0, 'both workers answered');
    assert.equal(sample(body, 'supervisor_worker_scrape_failures_total{app="plain",reason="malformed"}'), 0);
    assert.equal(m.countEvents({ level: /^(warn|error)$/ }), 0, m.lines.join('\n'));
  } finally {
    await stopMaster(m);
  }
});
