// Several config files in one master: the first loaded file that enables metrics opens the
// endpoint; a later file's `metrics` key does not open a second one or move it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { get, metricsUrl, sample } from '../helpers/metrics.js';
import { request } from '../../src/cli/control-client.js';
import { homePaths } from '../../src/runtime/home.js';

test('the first config that enables metrics sets the endpoint; later ones do not move it', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const app = (name: string) => ({ name, script: fixture('metrics-worker.mjs'), instances: 1, wait_ready: true, kill_timeout: '5s' });
  const off = writeConfig(dir, { metrics: false, apps: [app('a')] }, 'a.json');
  const on = writeConfig(dir, { metrics: { host: '127.0.0.1', port: 0 }, apps: [app('b')] }, 'b.json');
  const other = writeConfig(dir, { metrics: { host: '127.0.0.2', port: 0 }, apps: [app('c')] }, 'c.json');
  const m = startMaster(['run', off]);
  try {
    await m.waitForLine(/app a: all workers ready/);
    assert.equal(m.count(/metrics: serving/), 0, 'metrics: false opens no endpoint');
    const socket = homePaths(m.home).socket;
    assert.equal((await request(socket, 'start', { config: on })).ok, true);
    const url = await metricsUrl(m);
    assert.equal((await request(socket, 'start', { config: other })).ok, true);
    const body = (await get(`${url}/metrics`)).body;
    for (const name of ['a', 'b', 'c']) assert.equal(sample(body, `supervisor_workers{app="${name}",state="ready"}`), 1, `app ${name} is served by the one endpoint`);
    assert.equal(m.count(/metrics: serving/), 1, 'one endpoint only');
  } finally {
    await stopMaster(m);
  }
});
