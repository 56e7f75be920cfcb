// Scenario I7: workers that cannot be started. The master runs out of fds (EMFILE) while
// scaling up, an app's cwd disappears before a reload (ENOENT), and a config carries a NUL in
// an env value. Each failure is a worker exit with its reason that goes through the crash
// policy and shows in status; the master and its running workers are unharmed; a stop
// never hangs on a worker that never got a pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { socketOf, statusOf } from '../helpers/control.js';
import { request } from '../../src/cli/control-client.js';
import { fdCount } from '../helpers/control-raw.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { mb, rssOf } from '../helpers/rss.js';
import { report, scale } from '../helpers/chaos.js';

// Sets the soft fd limit of `pid`, keeping its hard limit.
function setSoftFdLimit(pid: number, soft: number): void {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'))!;
  const hard = line.trim().split(/\s+/)[4];
  const r = spawnSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:${hard}`], { timeout: 10_000, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('EMFILE at spawn: each failed spawn is a crash with its reason, the master and its workers unharmed', { timeout: 120_000 }, async () => {
  const extra = scale(8, 2);
  const dir = tempDir('gs-chaos-emfile-');
  const file = writeConfig(dir, { apps: [{ name: 'w', script: fixture('sleeper.sh'), args: [dir], instances: 2, kill_timeout: '2s', min_uptime: 300 }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'w' });
    const pids = workersOf(m.pid).map((w) => w.pid).sort();
    const fds0 = fdCount(m.pid)!;
    const rss0 = rssOf(m.pid)!;
    const original = Number(readFileSync(`/proc/${m.pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'))!.trim().split(/\s+/)[3]);
    // Room for the control connection, not for a worker's pipes.
    setSoftFdLimit(m.pid, fds0 + 3);
    // A reload needs the config loader child, which cannot start: refused with the reason.
    // (Before the scale: the failing spawns' retries would compete for the fd its connection needs.)
    const reload = await request(socketOf(m.home), 'reload', {}, undefined, 20_000);
    assert.deepEqual([reload.ok, reload.code], [false, 'E_CONFIG']);
    assert.match(reload.message ?? '', /cannot start the config loader: EMFILE/);
    const after = m.mark();
    const scaling = request(socketOf(m.home), 'scale', { app: 'w', instances: 2 + extra }).catch(() => null);
    for (let slot = 2; slot < 2 + extra; slot++) {
      await m.waitForEvent({ event: 'worker-spawn-failed', app: 'w', worker: slot, error: /EMFILE/ }, { after, timeoutMs: 20_000 });
      await m.waitForEvent({ event: 'worker-restart-scheduled', app: 'w', worker: slot }, { after, timeoutMs: 20_000 });
    }
    const failures = m.countEvents({ event: 'worker-spawn-failed', app: 'w' }, after);
    assert.equal(m.child.exitCode, null, 'the master survived EMFILE');
    setSoftFdLimit(m.pid, original);
    const status = await waitFor('status answered with the failed workers in backoff', async () => {
      const s = await statusOf(m.home);
      return s.apps[0]!.workers.some((w) => w.restarts > 0) ? s : null;
    }, 20_000);
    assert.ok(status.apps[0]!.workers.filter((w) => w.id >= 2).every((w) => w.restarts >= 1), 'status counts the failed spawns as restarts');
    await waitFor('every slot running once fds are back', async () => {
      const s = await statusOf(m.home);
      return s.apps[0]!.workers.length === 2 + extra && s.apps[0]!.workers.every((w) => w.state === 'ready');
    }, 60_000, 200);
    assert.ok((await scaling)?.ok, 'the scale finished once the workers could start');
    const kept = workersOf(m.pid).map((w) => w.pid);
    assert.ok(pids.every((p) => kept.includes(p)), '0 workers lost: the running ones kept their pids');
    const t0 = Date.now();
    assert.equal((await stopMaster(m)).code, 0);
    const stopMs = Date.now() - t0;
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);
    report({
      id: 'I7a',
      scenario: 'Spawn fails with EMFILE',
      load: '2 workers',
      faults: `master soft fd limit lowered to ${fds0 + 3} (its fds + 3), scale 2 -> ${2 + extra} and a reload, then the limit restored`,
      lost: '0 workers',
      result: `${failures} failed spawns, each logged with "spawn ... EMFILE" and restarted with backoff (status counted them); the reload refused with E_CONFIG "cannot start the config loader: EMFILE"; all ${2 + extra} ready once fds were back; stop took ${stopMs} ms; RSS ${mb(rss0)}, fds ${fds0} before`,
    });
  } finally {
    await stopMaster(m);
  }
});

test('a cwd that disappeared: restarts fail with ENOENT through the crash policy, then recover', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-chaos-enoent-');
  const cwd = path.join(dir, 'app');
  mkdirSync(cwd);
  const file = writeConfig(dir, { apps: [{ name: 'w', script: fixture('sleeper.sh'), args: [dir], cwd, instances: 2, kill_timeout: '2s', min_uptime: 300 }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'w' });
    const [victim, survivor] = workersOf(m.pid).sort((a, b) => a.slot - b.slot);
    rmSync(cwd, { recursive: true });
    const after = m.mark();
    process.kill(victim!.pid, 'SIGKILL');
    await m.waitForEvent({ event: 'worker-spawn-failed', app: 'w', worker: victim!.slot, error: /ENOENT/ }, { after });
    await m.waitForEvent({ event: 'worker-spawn-failed', app: 'w', worker: victim!.slot, error: /ENOENT/ }, { after: m.mark() });
    const failing = (await statusOf(m.home)).apps[0]!.workers.find((w) => w.id === victim!.slot)!;
    assert.ok(failing.restarts >= 2 && failing.pid === null, `status shows the slot restarting: ${JSON.stringify(failing)}`);
    const described = await cli(m.home, ['describe', 'w']);
    assert.match(described.stdout, /last exit: +worker \d \(generation 1\) could not be started: spawn \S+ ENOENT/);
    assert.ok(workersOf(m.pid).some((w) => w.pid === survivor!.pid), 'the other worker keeps running');
    mkdirSync(cwd);
    await waitFor('the slot running again', async () => (await statusOf(m.home)).apps[0]!.workers.every((w) => w.state === 'ready' && w.pid !== null), 30_000, 100);
    const failures = m.countEvents({ event: 'worker-spawn-failed', app: 'w' }, after);
    report({
      id: 'I7b',
      scenario: 'Spawn fails with ENOENT (cwd removed)',
      load: '2 workers',
      faults: 'the app\'s cwd removed, then one worker killed; the cwd made again',
      lost: '0 workers (the other one kept its pid)',
      result: `${failures} restarts failed with "spawn ... ENOENT", each a crash with backoff shown in status (restarts) and describe (last exit with the reason); the slot ran again once the cwd was back`,
    });
  } finally {
    await stopMaster(m);
  }
});

test('a NUL in an env value is refused when the config is read; nothing starts', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-chaos-nul-');
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [{ name: 'w', script: fixture('sleeper.sh'), args: [dir], instances: 2, env: { A: 'x\u0000y' } }] });
  const checked = await cli(home, ['check', file]);
  assert.equal(checked.code, 2, checked.stdout);
  assert.match(checked.stderr, /apps\[0\]\.env\.A: expected no NUL character/);
  const started = await cli(home, ['start', file]);
  assert.equal(started.code, 2, `start refuses it: ${started.stdout}${started.stderr}`);
  assert.match(started.stderr, /apps\[0\]\.env\.A: expected no NUL character/);
  assert.deepEqual(pidsMatching(dir), [], 'nothing runs');
  report({
    id: 'I7c',
    scenario: 'NUL in an env value',
    load: 'none',
    faults: 'env value "x\\u0000y"',
    lost: 'none',
    result: 'check and start exit 2 naming apps[0].env.A; nothing started (before: check passed, start said every worker was ready with none running, and stop hung)',
  });
});
