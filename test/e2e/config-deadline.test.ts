// Bug 2: a config module that never settles cannot wedge the master. It is evaluated in a
// short-lived child with a deadline (10 s): `reload` answers E_CONFIG naming the deadline,
// `status` keeps answering meanwhile, and SIGTERM still stops the master at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { alive, pidsMatching } from '../helpers/procs.js';
import { socketOf } from '../helpers/control.js';
import { waitFor } from '../helpers/wait.js';

const config = (dir: string, exported: string) =>
  `const apps = [{ name: 'jobs', script: ${JSON.stringify(fixture('job-worker.mjs'))}, args: [${JSON.stringify(dir)}], wait_ready: true, env: { JOB_LOG: ${JSON.stringify(path.join(dir, 'jobs.log'))} } }];\n` +
  `module.exports = ${exported};\n`;

test('a never-settling .config.js: reload answers E_CONFIG naming the deadline; status answers meanwhile', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ecosystem.config.js');
  writeFileSync(file, config(dir, '{ apps, metrics: false }'));
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    writeFileSync(file, config(dir, 'new Promise(() => {})'));
    const began = Date.now();
    const reload = request(socketOf(m.home), 'reload', {}, undefined, 15_000);
    const loaders = () => pidsMatching(file).filter((p) => p !== m.pid && pidsMatching('loader-main.js').includes(p));
    const stuck: number[] = await waitFor('the loader child running', () => (loaders().length > 0 ? loaders() : null), 5_000);
    // While the file is being evaluated, the loop keeps answering.
    for (let i = 0; i < 3; i++) {
      const s = await cli(m.home, ['status', '--json'], {}, 5_000);
      assert.equal(s.code, 0, `status answered during the load: ${s.stderr}`);
      assert.equal(JSON.parse(s.stdout).apps[0].workers.length, 1);
    }
    const res = await reload;
    const took = Date.now() - began;
    assert.equal(res.ok, false);
    assert.equal(res.code, 'E_CONFIG');
    assert.match(res.message ?? '', /ecosystem\.config\.js: the config did not finish loading within 10000 ms \(the deadline\)/);
    assert.ok(took < 12_000, `answered within 12 s (took ${took} ms)`);
    // SIGKILL is sent at the deadline; under load the kernel may take a moment to carry it out.
    await waitFor('the loader child killed at the deadline', () => stuck.every((p) => !alive(p)), 2_000);
    // A SIGTERM during another stuck load stops the master at once.
    void request(socketOf(m.home), 'reload', {}, undefined, 15_000).catch(() => undefined);
    await waitFor('another load running', () => loaders().some((p) => !stuck.includes(p)), 5_000);
    const stopAt = Date.now();
    const exit = await stopMaster(m, 8_000);
    assert.equal(exit.code, 0);
    assert.ok(Date.now() - stopAt < 8_000, 'SIGTERM was not queued behind the stuck load');
    await waitFor('nothing of this test left', () => pidsMatching(dir).length === 0, 5_000);
  } finally {
    await stopMaster(m);
  }
});
