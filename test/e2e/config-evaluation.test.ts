// Bug 7: user config code runs once per request, in the config file's own folder, and never
// inside the master: `start` (daemon), `run`, `check`, and a `start` into a running master.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';

// A .config.js that appends "<pid> <cwd>" to evaluations.log each time it is evaluated, and
// requires a helper by a relative path (which only works from its own folder's view).
function writeCountingConfig(dir: string, app: string, name = 'ecosystem.config.js'): { file: string; runs: () => { pid: number; cwd: string }[] } {
  const log = path.join(dir, `${name}.evaluations.log`);
  writeFileSync(path.join(dir, 'helper.cjs'), `module.exports = { instances: 1 };\n`);
  const file = path.join(dir, name);
  writeFileSync(file, [
    `require('node:fs').appendFileSync(${JSON.stringify(log)}, process.pid + ' ' + process.cwd() + '\\n');`,
    `const { instances } = require('./helper.cjs');`,
    `module.exports = { metrics: false, apps: [{ name: ${JSON.stringify(app)}, script: ${JSON.stringify(fixture('job-worker.mjs'))}, args: [${JSON.stringify(dir)}], instances, wait_ready: true, env: { JOB_LOG: ${JSON.stringify(path.join(dir, 'jobs.log'))} } }] };`,
  ].join('\n'));
  const runs = () => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => ({ pid: Number(l.split(' ')[0]), cwd: l.slice(l.indexOf(' ') + 1) }));
    } catch {
      return [];
    }
  };
  return { file, runs };
}

test('start (daemon): the config runs once, in its own folder, not in the master or the launcher', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const { file, runs } = writeCountingConfig(dir, 'jobs');
  try {
    const started = await cli(home, ['start', file]);
    assert.equal(started.code, 0, started.stderr);
    const master = pidfilePid(home)!;
    assert.deepEqual(runs().map((r) => r.cwd), [dir], 'evaluated exactly once, in the file\'s folder');
    assert.ok(runs().every((r) => r.pid !== master && r.pid !== started.pid), 'not in the master, not in the launcher');
    // A start of a second file into the running master: once more, in that file's folder.
    const sub = tempDir();
    const second = writeCountingConfig(sub, 'more');
    const more = await cli(home, ['start', second.file]);
    assert.equal(more.code, 0, more.stderr);
    assert.deepEqual(second.runs().map((r) => r.cwd), [sub]);
    assert.ok(second.runs().every((r) => r.pid !== master));
    // Each reload evaluates each file once more.
    const reload = await cli(home, ['reload']);
    assert.equal(reload.code, 0, reload.stderr);
    assert.equal(runs().length, 2);
    assert.equal(second.runs().length, 2);
    const stop = await cli(home, ['stop']);
    assert.equal(stop.code, 0, stop.stderr);
  } finally {
    await killDaemon(home);
  }
});

test('run and check: the config runs once per call, in its own folder', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const { file, runs } = writeCountingConfig(dir, 'jobs');
  const checked = await cli(tempDir(), ['check', file]);
  assert.equal(checked.code, 0, checked.stderr);
  assert.deepEqual(runs().map((r) => r.cwd), [dir]);
  assert.notEqual(runs()[0]!.pid, checked.pid, 'check evaluates it in a child too');
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    assert.deepEqual(runs().map((r) => r.cwd), [dir, dir], 'run evaluated it once');
    assert.ok(runs().every((r) => r.pid !== m.pid));
  } finally {
    await stopMaster(m);
  }
});
