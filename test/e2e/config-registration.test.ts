// A config file counts as loaded only once it is applied (bug 3), a file whose start failed
// is not registered (bug 4), error texts never echo the file's bytes, and `forget` drops a
// file and stops its apps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import type { StatusReport } from '../../src/master/status.js';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { get, metricsUrl, sample } from '../helpers/metrics.js';
import { socketOf, statusOf } from '../helpers/control.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';

const job = (dir: string, name: string, extra: Record<string, unknown> = {}) => ({
  name, script: fixture('job-worker.mjs'), args: [dir], wait_ready: true, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, `${name}.log`) }, ...extra,
});
const configsOf = (s: StatusReport) => s.configs.map((c) => ({ file: c.file, ok: c.ok }));

test('a reload whose listen address is in use is not recorded as loaded: configs[].ok false, metric 0', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as net.AddressInfo).port;
  const file = writeConfig(dir, { apps: [job(dir, 'web', { listen: 'tcp://127.0.0.1:0' })], metrics: { host: '127.0.0.1', port: 0 } });
  const m = startMaster(['run', file]);
  try {
    const url = await metricsUrl(m);
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const series = `supervisor_config_last_reload_successful{file="${file}"}`;
    assert.equal(sample((await get(`${url}/metrics`)).body, series), 1);
    writeConfig(dir, { apps: [job(dir, 'web', { listen: `tcp://127.0.0.1:${port}` })], metrics: { host: '127.0.0.1', port: 0 } });
    const res = await cli(m.home, ['reload']);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stderr, /EADDRINUSE/);
    const s = await statusOf(m.home);
    assert.deepEqual(configsOf(s), [{ file, ok: false }]);
    assert.match(s.configs[0]!.error ?? '', /EADDRINUSE/);
    assert.equal(sample((await get(`${url}/metrics`)).body, series), 0);
    assert.equal(s.apps[0]!.generation, 1, 'nothing was applied');
  } finally {
    await stopMaster(m);
    busy.close();
  }
});

test('a rejected second start is not registered; later reloads work; errors do not echo the file', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [job(dir, 'api')] });
  const second = writeConfig(dir, { apps: [job(dir, 'api')] }, 'second.json');
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'api' });
    const rejected = await cli(m.home, ['start', second]);
    assert.notEqual(rejected.code, 0);
    assert.match(rejected.stderr, /app "api" is already defined by .*ecosystem\.json/);
    assert.deepEqual(configsOf(await statusOf(m.home)), [{ file, ok: true }], 'the rejected file is not listed');
    const reload = await cli(m.home, ['reload']);
    assert.equal(reload.code, 0, `a later reload works: ${reload.stderr}`);
    assert.doesNotMatch(reload.stderr, /already defined/);

    // A start over the socket whose file is missing, or not JSON, is refused and not registered.
    const secret = path.join(dir, 'secret.json');
    writeFileSync(secret, 'hello world, the password is hunter2\n');
    for (const config of [path.join(dir, 'missing.json'), secret]) {
      const res = await request(socketOf(m.home), 'start', { config });
      assert.equal(res.ok, false);
      assert.equal(res.code, 'E_CONFIG', res.message);
      assert.ok(res.message?.includes(config), 'the error names the file');
      assert.doesNotMatch(res.message ?? '', /hello|hunter2|password/, 'the error does not echo the file');
    }
    assert.match((await request(socketOf(m.home), 'start', { config: secret })).message ?? '', /invalid JSON at line 1, column 1/);
    assert.deepEqual(configsOf(await statusOf(m.home)), [{ file, ok: true }]);
    const again = await cli(m.home, ['reload']);
    assert.equal(again.code, 0, again.stderr);
  } finally {
    await stopMaster(m);
  }
});

test('forget <file> stops the apps of that file and drops it; the other file keeps running', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [job(dir, 'a')] });
  const other = writeConfig(dir, { apps: [job(dir, 'b', { instances: 2 })] }, 'other.json');
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    const added = await cli(m.home, ['start', other]);
    assert.equal(added.code, 0, added.stderr);
    const a = workersOf(m.pid).filter((w) => w.app === 'a').map((w) => w.pid);
    const res = await cli(m.home, ['forget', other]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /app b: stopped/);
    const s = await statusOf(m.home);
    assert.deepEqual(configsOf(s), [{ file, ok: true }]);
    assert.deepEqual(s.apps.map((x) => x.name), ['a']);
    await waitFor('only a runs', () => workersOf(m.pid).every((w) => w.app === 'a'));
    assert.deepEqual(workersOf(m.pid).map((w) => w.pid), a, 'a was not touched');
    const unknown = await cli(m.home, ['forget', other]);
    assert.equal(unknown.code, 4, unknown.stderr);
    assert.match(unknown.stderr, /not loaded/);
    // A forgotten file can be started again.
    const back = await cli(m.home, ['start', other]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal((await statusOf(m.home)).configs.length, 2);
  } finally {
    await stopMaster(m);
  }
});
