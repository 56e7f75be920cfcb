// Scenario 9: the log directory's disk fills up at runtime (a size-limited tmpfs mounted on
// <home>/logs, then filled). The workers keep running and talking, the master reports the
// problem once per file instead of once per line, keeps answering, and writes again after
// space is freed and the files are reopened (SIGUSR1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { alive } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';
import { workerLines } from '../helpers/log-events.js';

const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
// True once worker 1 wrote an "out" line to the file (either log format).
const workerOneWrote = (f: string) => workerLines(read(f)).some((l) => l.worker === 1 && /^out \d+$/.test(l.message));

// Mounts a 1 MB tmpfs on `dir`; false when this user may not mount (not root, no CAP_SYS_ADMIN).
function mountSmallTmpfs(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', dir]).status === 0;
}

// Writes zeros into `file` until the file system is full.
function fill(file: string): void {
  try {
    writeFileSync(file, Buffer.alloc(4 * 1024 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    return;
  }
  throw new Error('the tmpfs did not fill up');
}

// Appends padding to a log until it fails, so even the free end of its last page is used.
function padUntilFull(file: string): void {
  try {
    appendFileSync(file, `${'#'.repeat(8191)}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
}

// A home whose logs dir is a 1 MB tmpfs, or null (with the test skipped) where mounting is not allowed.
function homeOnSmallDisk(t: { skip(message: string): void }, prefix: string): { dir: string; home: string; logs: string } | null {
  const dir = tempDir(prefix);
  const home = path.join(dir, 'home');
  const logs = path.join(home, 'logs');
  if (mountSmallTmpfs(logs)) return { dir, home, logs };
  t.skip('cannot mount a tmpfs here (needs root): the disk-full scenario needs a file system that can fill up');
  return null;
}

test('a full log disk: workers keep running, the master logs it once per file and recovers on SIGUSR1', { timeout: 60_000 }, async (t) => {
  const fullForMs = scale(10_000, 1_500);
  const disk = homeOnSmallDisk(t, 'gs-chaos-disk-');
  if (!disk) return;
  const { dir, home, logs } = disk;
  const out = path.join(logs, 'chatty-out.log');
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '5s' }] });
  const m = startMaster(['run', file], { SUPERVISOR_HOME: home });
  try {
    await m.waitForEvent({ event: 'app-started', app: 'chatty' });
    await waitFor('lines in the out file', () => workerOneWrote(out));
    const pids = workersOf(m.pid).map((w) => w.pid).sort();
    fill(path.join(logs, 'filler'));
    for (const f of [out, path.join(logs, 'chatty-error.log')]) padUntilFull(f);
    // Plain log lines: the problem and the file are in the wording.
    await m.waitForEvent({ event: 'log', level: 'warn', message: /^log file .*chatty-out\.log: cannot write: ENOSPC/ });
    const after = m.mark();
    await sleep(fullForMs); // the fault: the disk stays full this long while the workers keep talking
    const echoed = m.countEvents({ event: 'worker-output', app: 'chatty', message: /^out \d+$/ }, after);
    assert.ok(echoed >= fullForMs / 50, `the workers kept writing (${echoed} lines while the disk was full)`);
    assert.equal(m.countEvents({ event: 'log', message: /log file .*chatty-out\.log/ }), 1, 'the out file problem is logged once');
    assert.ok(m.countEvents({ event: 'log', message: /log file .*chatty-error\.log/ }) <= 1, 'the error file problem is logged at most once');
    assert.equal(m.child.exitCode, null, 'the master is running');
    assert.deepEqual(workersOf(m.pid).map((w) => w.pid).sort(), pids, 'no worker was restarted');
    assert.equal((await cli(home, ['status'])).code, 0, 'the master answers');

    rmSync(path.join(logs, 'filler'));
    const size = read(out).length;
    m.signal('SIGUSR1');
    await waitFor('new lines in the out file after space was freed and SIGUSR1', () => read(out).length > size + 200);
    const problems = m.countEvents({ event: 'log', level: 'warn', message: /^log file / });
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);
    report({
      id: '9a',
      scenario: 'Log disk full at runtime (supervisor run)',
      load: '2 workers writing 20 lines/s each to stdout and to stderr',
      faults: `tmpfs under <home>/logs filled (ENOSPC) for ${fullForMs / 1000} s`,
      lost: `0 workers, 0 restarts (${echoed} stdout lines could not reach the file while it was full; still echoed by the master)`,
      result: `master kept running and answering; ${problems} warning(s) in all (one per file); writing resumed after SIGUSR1`,
    });
  } finally {
    await stopMaster(m);
    spawnSync('umount', ['-l', logs]);
  }
});

test('a full log disk under the daemon, master log included: the master keeps running and recovers on SIGUSR1', { timeout: 60_000 }, async (t) => {
  const fullForMs = scale(10_000, 1_500);
  const disk = homeOnSmallDisk(t, 'gs-chaos-diskd-');
  if (!disk) return;
  const { dir, home, logs } = disk;
  const out = path.join(logs, 'chatty-out.log');
  const masterLog = path.join(logs, 'supervisor.log');
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '5s' }] });
  try {
    const started = await cli(home, ['start', file]);
    assert.equal(started.code, 0, started.stderr);
    const master = pidfilePid(home)!;
    await waitFor('lines in the out file', () => workerOneWrote(out));
    const pids = workersOf(master).map((w) => w.pid).sort();
    fill(path.join(logs, 'filler'));
    for (const f of [masterLog, out, path.join(logs, 'chatty-error.log')]) padUntilFull(f);
    // Master log lines while the disk is full: a second start of the same file logs "config ...".
    let answered = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < fullForMs) {
      assert.ok(alive(master), 'the master is alive while its log disk is full');
      assert.equal((await cli(home, ['start', file])).code, 0, 'the master answers while its log disk is full');
      answered++;
    }
    assert.deepEqual(workersOf(master).map((w) => w.pid).sort(), pids, 'no worker was restarted');
    rmSync(path.join(logs, 'filler'));
    const size = read(out).length;
    const logSize = read(masterLog).length;
    process.kill(master, 'SIGUSR1');
    await waitFor('new lines in the out file after space was freed and SIGUSR1', () => read(out).length > size + 200);
    assert.equal((await cli(home, ['start', file])).code, 0);
    await waitFor('the master log written again', () => read(masterLog).length > logSize);
    const stop = await cli(home, ['stop']);
    assert.equal(stop.code, 0, stop.stderr);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);
    report({
      id: '9b',
      scenario: 'Log disk full at runtime (daemon, master log on the same disk)',
      load: '2 workers writing 20 lines/s each to stdout and to stderr',
      faults: `tmpfs under <home>/logs filled (ENOSPC), master log included, for ${fullForMs / 1000} s`,
      lost: '0 workers, 0 restarts (log lines written while the disk was full are dropped)',
      result: `master kept running: ${answered} control requests answered while full; app and master logs written again after SIGUSR1`,
    });
  } finally {
    await killDaemon(home);
    spawnSync('umount', ['-l', logs]);
  }
});
