// Script mode, as `pm2 start app.js -i 4`: a script runs as one app without an ecosystem
// file; `check` on a script never runs it; and the verbs PM2 users type around it: stop,
// start <app>, delete <app>, and a reload that brings a deleted app back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/config.js';
import { masterStatus } from '../helpers/master-status.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { waitFor } from '../helpers/wait.js';

// A plain script, no SDK: records its argv, then waits to be stopped.
function writeScript(dir: string, name = 'app.js'): string {
  const file = path.join(dir, name);
  writeFileSync(file, `require('node:fs').writeFileSync(require('node:path').join(${JSON.stringify(dir)}, 'argv-' + process.env.SUPERVISOR_WORKER_ID), JSON.stringify(process.argv.slice(2)));
setInterval(() => {}, 1000);
process.on('SIGTERM', () => process.exit(0));
`);
  return file;
}

const readyWorkers = async (home: string, app: string) => (await masterStatus(home)).apps.find((a) => a.name === app)?.workers.filter((w) => w.state === 'ready').length ?? 0;

test('start app.js -i 2 --name api runs the script as one app; stop, start <app>, delete, reload', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const home = tempDir('gs-home-');
  const script = writeScript(dir);
  try {
    const started = await cli(home, ['start', script, '-i', '2', '--name', 'api', '--no-metrics', '--', '--greeting', 'hi']);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(await readyWorkers(home, 'api'), 2);
    const ecosystem = path.join(home, 'scripts', 'api.json');
    const written = JSON.parse(readFileSync(ecosystem, 'utf8')) as { apps: { cwd: string }[] };
    assert.ok(path.isAbsolute(written.apps[0]!.cwd), 'cwd is the shell\'s, as in PM2');
    assert.deepEqual(written, { apps: [{ name: 'api', script, cwd: written.apps[0]!.cwd, instances: 2, args: ['--greeting', 'hi'] }], metrics: false });
    await waitFor('both workers wrote their argv', () => existsSync(path.join(dir, 'argv-0')) && existsSync(path.join(dir, 'argv-1')));
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'argv-1'), 'utf8')), ['--greeting', 'hi']);
    assert.match((await cli(home, ['status', 'api'])).stdout, /^api +1 +\d+ +ready/m);

    assert.equal((await cli(home, ['stop', 'api'])).code, 0);
    assert.equal((await masterStatus(home)).apps.find((a) => a.name === 'api')?.status, 'stopped');
    const again = await cli(home, ['start', 'api']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await readyWorkers(home, 'api'), 2, 'start <app> brings back a stopped app');
    assert.equal((await cli(home, ['start', 'api'])).code, 0, 'starting a running app is done at once');

    const deleted = await cli(home, ['delete', 'api']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /deleted until its config file is read again/);
    assert.equal((await masterStatus(home)).apps.some((a) => a.name === 'api'), false, 'deleted: gone from status');
    assert.equal((await cli(home, ['start', 'api'])).code, 4, 'a deleted app is unknown');
    const reloaded = await cli(home, ['reload']);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    assert.equal(await readyWorkers(home, 'api'), 2, 'a reload of its file brings it back');
  } finally {
    await cli(home, ['stop']);
  }
});

test('supervisor check on a script that starts a server returns at once and never runs it', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const script = path.join(dir, 'server.js');
  const marker = path.join(dir, 'ran');
  writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');\nrequire('node:http').createServer((q, r) => r.end('ok')).listen(0);\n`);
  const started = Date.now();
  const r = await cli(tempDir('gs-home-'), ['check', script], {}, 20_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /server\.js: ok: a script, not an ecosystem file: supervisor start would run it as 1 app\(s\): server x1/);
  assert.ok(Date.now() - started < 15_000);
  assert.equal(existsSync(marker), false, 'the script was not run');
  // A .js ecosystem file is still a config, and script options on it are refused.
  const config = path.join(dir, 'build.process.js');
  writeFileSync(config, `module.exports = { apps: [{ name: 'x', script: ${JSON.stringify(script)} }], metrics: false };\n`);
  assert.match((await cli(tempDir('gs-home-'), ['check', config])).stdout, /ok: would run 1 app\(s\): x x1/);
  const refused = await cli(tempDir('gs-home-'), ['start', config, '-i', '2', '--no-metrics']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /is an ecosystem file: -i, --name, --listen, --no-metrics and arguments after it are for a script/);
});

test('run app.js runs the script in the foreground', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const script = writeScript(dir, 'worker.js');
  const m = startMaster(['run', script, '-i', '2', '--no-metrics']);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'worker' });
    assert.equal(await readyWorkers(m.home, 'worker'), 2);
  } finally {
    await stopMaster(m);
  }
});
