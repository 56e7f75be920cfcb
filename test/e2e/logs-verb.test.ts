// `supervisor logs` never prints nothing in silence: with no files it says why and where the
// output goes; against `supervisor run` it shows the lines `run` printed (they go to its
// terminal); `--json` gives one object per line with the fields of --json-logs, whatever
// format the files were written in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { killDaemon } from '../helpers/daemon.js';
import { waitFor } from '../helpers/wait.js';

const quiet = { name: 'quiet', script: fixture('sleeper.sh'), instances: 1, min_uptime: 100, kill_timeout: 2000 };
const chatty = { name: 'chatty', script: fixture('chatty.mjs'), wait_ready: true, kill_timeout: 2000 };

test('with no master and no log files, logs says so and where output goes, and exits 3', { timeout: 30_000 }, async () => {
  const home = path.join(tempDir(), 'home');
  const res = await cli(home, ['logs']);
  assert.equal(res.code, 3);
  assert.equal(res.stdout, '');
  assert.match(res.stderr, new RegExp(`^supervisor: no master is running in ${home}, and ${path.join(home, 'logs')} holds no log files\\. "supervisor start <config>" writes .*"supervisor run <config>" prints its own lines to its terminal`));
});

test('logs of a `supervisor run` master shows what run printed; an app that printed nothing is said to have printed nothing, with its files', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [quiet] });
  const m = startMaster(['run', file], {}, { human: true });
  try {
    await m.waitForLine(/app quiet: all workers ready/);
    const all = await cli(m.home, ['logs']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, new RegExp(`==> supervisor run \\(pid ${m.pid}\\): its own last lines; they go to its terminal <==`));
    assert.match(all.stdout, /\[supervisor\] app quiet: all workers ready/, 'the lines run printed');
    const one = await cli(m.home, ['logs', 'quiet']);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, '');
    assert.match(one.stderr, new RegExp(`no log lines yet\\. No worker has printed anything yet; their output goes to ${path.join(m.home, 'logs', 'quiet-out.log')}, ${path.join(m.home, 'logs', 'quiet-error.log')}`));
  } finally {
    await stopMaster(m);
  }
});

test('logs --json: one object per line with the fields of --json-logs, from human files and from JSON ones alike', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [chatty] });
  try {
    assert.equal((await cli(home, ['start', file])).code, 0);
    // A rejected edit writes a multi-line message to the master log.
    writeFileSync(file, '{ "apps": [ {');
    assert.equal((await cli(home, ['reload'])).code, 2);
    const res = await cli(home, ['logs', '--json', '-n', '50']);
    assert.equal(res.code, 0, res.stderr);
    const objects = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const worker = objects.find((o) => o.stream === 'stderr');
    assert.deepEqual(worker && { ...worker, time: typeof worker.time, message: typeof worker.message }, { time: 'string', source: 'worker', event: 'worker-output', app: 'chatty', worker: 0, generation: null, pid: null, stream: 'stderr', message: 'string' });
    assert.match(String(worker!.message), /^err \d+$/);
    const ready = objects.find((o) => o.message === 'app chatty: all workers ready');
    assert.deepEqual(ready && Object.keys(ready), ['time', 'level', 'source', 'event', 'message']);
    const rejected = objects.find((o) => String(o.message).startsWith('config rejected, nothing changed:'));
    assert.ok(rejected && rejected.level === 'error' && /\n.*ecosystem\.json: invalid JSON/.test(String(rejected.message)), `the continuation lines join their message: ${res.stdout}`);
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
  // A master with --json-logs: its JSON lines keep every field they have.
  const m = startMaster(['run', writeConfig(dir, { apps: [chatty] }, 'again.json')]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'chatty' });
    const res = await waitFor('worker lines in the JSON files', async () => {
      const r = await cli(m.home, ['logs', 'chatty', '--json', '-n', '2']);
      return r.stdout.trim().split('\n').length === 4 ? r : null;
    });
    for (const line of res.stdout.trim().split('\n')) {
      const o = JSON.parse(line) as Record<string, unknown>;
      assert.equal(o.source, 'worker');
      assert.equal(o.event, 'worker-output');
      assert.equal(o.app, 'chatty');
      assert.equal(typeof o.pid, 'number', 'a JSON file line keeps its pid');
      assert.equal(o.generation, 1);
    }
  } finally {
    await stopMaster(m);
  }
});
