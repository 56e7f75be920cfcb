// What applying a changed file does: an invalid file (bad JSON, wrong type, unknown key)
// leaves every worker untouched and shows in status until a valid save recovers; an env-only
// change rolls only that app; an instances-only change scales without restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { environ, workersOf } from '../helpers/workers.js';
import { masterStatus } from '../helpers/master-status.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';

const app = (name: string, extra: Record<string, unknown> = {}) => ({ name, script: fixture('sleeper.sh'), instances: 2, min_uptime: 150, kill_timeout: 2000, ...extra });
const pidsOf = (masterPid: number, name?: string) => workersOf(masterPid).filter((w) => !name || w.app === name).map((w) => w.pid).sort();

test('an invalid file leaves running pids untouched, shows in status, and a later valid save recovers', { timeout: 40_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { watch_config: true, apps: [app('a')] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    const before = pidsOf(m.pid);
    const bad: [string, string, RegExp][] = [
      ['invalid JSON', '{ "apps": [ {', /invalid JSON/],
      ['wrong type', JSON.stringify({ metrics: false, apps: [app('a', { instances: 'two' })] }), /apps\[0\]\.instances: expected a whole number -1024\.\.1024 or "max", found "two"/],
      ['unknown key', JSON.stringify({ metrics: false, apps: [app('a', { instanses: 3 })] }), /apps\[0\]\.instanses: unknown key "instanses"; did you mean "instances"\?/],
    ];
    for (const [what, text, error] of bad) {
      const after = m.mark();
      writeFileSync(file, text);
      await m.waitForEvent({ event: 'config-failed', file }, { after });
      const status = await masterStatus(m.home);
      assert.equal(status.configs.length, 1);
      assert.equal(status.configs[0]!.ok, false, what);
      assert.match(status.configs[0]!.error ?? '', error, what);
      assert.deepEqual(pidsOf(m.pid), before, `${what}: the workers were not touched`);
      assert.equal(status.apps[0]!.generation, 1);
    }
    const cli = spawnSync(process.execPath, [CLI, 'status', '--json'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SUPERVISOR_HOME: m.home } });
    const json = JSON.parse(cli.stdout) as { configs: { ok: boolean; error: string }[] };
    assert.equal(json.configs[0]!.ok, false);
    assert.match(json.configs[0]!.error, /instanses/);
    const text = spawnSync(process.execPath, [CLI, 'status'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SUPERVISOR_HOME: m.home } });
    assert.match(text.stdout, /last load FAILED, still running the previous config:\n.*unknown key "instanses"/);
    const after = m.mark();
    writeConfig(dir, { watch_config: true, apps: [app('a', { env: { FIXED: '1' } })] });
    await m.waitForEvent({ event: 'reload-done', app: 'a', generation: 2 }, { after });
    const status = await masterStatus(m.home);
    assert.equal(status.configs[0]!.ok, true);
    assert.equal(status.configs[0]!.error, null);
    await waitFor('the new generation has the new env', () => workersOf(m.pid).length === 2 && workersOf(m.pid).every((w) => environ(w.pid)?.FIXED === '1'));
  } finally {
    await stopMaster(m);
  }
});

test("an env-only change on app A rolls A with the new env; B's pids stay", { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { watch_config: true, apps: [app('a', { env: { COLOR: 'red' } }), app('b')] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    await m.waitForEvent({ event: 'app-started', app: 'b' });
    const a1 = pidsOf(m.pid, 'a');
    const b1 = pidsOf(m.pid, 'b');
    writeConfig(dir, { watch_config: true, apps: [app('a', { env: { COLOR: 'blue' } }), app('b')] });
    await m.waitForEvent({ event: 'reload-done', app: 'a', generation: 2 });
    const a2 = await waitFor('a rolled to gen 2', () => {
      const ws = workersOf(m.pid).filter((w) => w.app === 'a');
      return ws.length === 2 && ws.every((w) => w.generation === 2) ? ws : null;
    });
    assert.ok(a2.every((w) => environ(w.pid)?.COLOR === 'blue'), 'the new workers have the new env');
    assert.ok(a2.every((w) => !a1.includes(w.pid)));
    assert.deepEqual(pidsOf(m.pid, 'b'), b1, 'app b was not touched');
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'b' }), 0);
  } finally {
    await stopMaster(m);
  }
});

test('an instances-only change scales without restarting any worker', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { watch_config: true, apps: [app('a')] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'a' });
    const before = pidsOf(m.pid);
    writeConfig(dir, { watch_config: true, apps: [app('a', { instances: 3 })] });
    await m.waitForEvent({ event: 'app-scaled', app: 'a', from: 2, to: 3 });
    const after = await waitFor('3 workers', () => (pidsOf(m.pid).length === 3 ? pidsOf(m.pid) : null));
    assert.ok(before.every((p) => after.includes(p)), 'the 2 old workers still run');
    writeConfig(dir, { watch_config: true, apps: [app('a', { instances: 1 })] });
    await m.waitForEvent({ event: 'app-scaled', app: 'a', from: 3, to: 1 });
    const last = await waitFor('1 worker', () => (pidsOf(m.pid).length === 1 ? pidsOf(m.pid) : null));
    assert.ok(before.includes(last[0]!), 'scaling down keeps an original worker');
    assert.equal(m.countEvents(RELOAD_STARTED), 0, 'no reload');
    assert.equal(workersOf(m.pid)[0]!.generation, 1);
  } finally {
    await stopMaster(m);
  }
});
