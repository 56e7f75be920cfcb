// Several config files in one master: the first loaded file that enables metrics opens the
// endpoint; a later file's `metrics` key does not open a second one or move it. A busy port
// in a file started into a running master is logged and does not stop the master.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { get, METRICS_SERVING, metricsUrl, sample } from '../helpers/metrics.js';
import { request } from '../../src/cli/control-client.js';
import { homePaths } from '../../src/runtime/home.js';

test('the first config that enables metrics sets the endpoint; later ones do not move it', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const app = (name: string) => ({ name, script: fixture('metrics-worker.mjs'), instances: 1, wait_ready: true, kill_timeout: '5s' });
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const busyPort = (blocker.address() as AddressInfo).port;
  const off = writeConfig(dir, { metrics: false, apps: [app('a')] }, 'a.json');
  const busy = writeConfig(dir, { metrics: { host: '127.0.0.1', port: busyPort }, apps: [app('d')] }, 'd.json');
  const on = writeConfig(dir, { metrics: { host: '127.0.0.1', port: 0 }, apps: [app('b')] }, 'b.json');
  const other = writeConfig(dir, { metrics: { host: '127.0.0.2', port: 0 }, apps: [app('c')] }, 'c.json');
  const m = startMaster(['run', off]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    assert.equal(m.countEvents(METRICS_SERVING), 0, 'metrics: false opens no endpoint');
    const socket = homePaths(m.home).socket;
    assert.equal((await request(socket, 'start', { config: busy })).ok, true);
    await m.waitForEvent({ event: 'log', message: new RegExp(`127\\.0\\.0\\.1:${busyPort} is already in use`) });
    assert.equal((await request(socket, 'ping')).ok, true, 'the master keeps running');
    assert.equal((await request(socket, 'start', { config: on })).ok, true);
    const url = await metricsUrl(m);
    assert.equal((await request(socket, 'start', { config: other })).ok, true);
    const body = (await get(`${url}/metrics`)).body;
    for (const name of ['a', 'b', 'c', 'd']) assert.equal(sample(body, `supervisor_workers{app="${name}",state="ready"}`), 1, `app ${name} is served by the one endpoint`);
    assert.equal(m.countEvents(METRICS_SERVING), 1, 'one endpoint only');
  } finally {
    await stopMaster(m);
    blocker.close();
  }
});
