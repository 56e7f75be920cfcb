// The daemon as a new user meets it: `start` returns once workers are ready, the master is a
// proper daemon (own session, reparented, cwd /, stdin /dev/null, umask), every verb reaches
// it, `stop` leaves nothing behind, and a master killed with -9 is replaced cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { alive, pidsMatching, stat } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { scratch } from '../helpers/harness.js';
import { workerLines } from '../helpers/log-events.js';

const jobs = (dir: string, extra: Record<string, unknown> = {}) => ({
  name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, 'jobs.log') }, ...extra,
});

function umaskOf(pid: number): string {
  return /Umask:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
}

test('start daemonizes once and returns when ready; status, reload, a second start and stop work', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [jobs(dir)] });
  try {
    const started = await cli(home, ['start', file, '--umask', '027']);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /master started \(pid \d+\); every app's workers are ready/);
    const pid = pidfilePid(home)!;
    assert.ok(pid && alive(pid), 'the pidfile names a live master');
    const st = stat(pid)!;
    assert.equal(st.session, pid, 'the master leads its own session (setsid)');
    assert.notEqual(st.ppid, started.pid, 'the launcher is not its parent');
    assert.notEqual(st.ppid, process.pid, 'the shell (this test) is not its parent');
    assert.equal(readlinkSync(`/proc/${pid}/cwd`), '/');
    assert.equal(readlinkSync(`/proc/${pid}/fd/0`), '/dev/null');
    assert.equal(readlinkSync(`/proc/${pid}/fd/1`), path.join(home, 'logs', 'supervisor.log'));
    assert.equal(umaskOf(pid), '0027');
    assert.equal(statSync(home).mode & 0o777, 0o700, 'the home is private');
    assert.equal(statSync(path.join(home, 'supervisor.sock')).mode & 0o777, 0o600);
    assert.equal(workersOf(pid).length, 2, 'both workers run when start returns');

    const status = await cli(home, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const doc = JSON.parse(status.stdout) as { apps: { name: string; status: string; workers: Record<string, unknown>[] }[]; configs: unknown };
    assert.deepEqual(Object.keys(doc), ['apps', 'configs', 'metrics', 'master'], 'the issue\'s shape, plus each config file\'s last load result, the metrics endpoint and the master\'s versions');
    assert.ok(Array.isArray(doc.configs));
    assert.deepEqual(Object.keys(doc.apps[0]!), ['name', 'status', 'instances', 'file_instances', 'workers']);
    assert.equal(doc.apps[0]!.workers.length, 2);
    for (const w of doc.apps[0]!.workers) {
      assert.deepEqual(Object.keys(w), ['id', 'pid', 'state', 'generation', 'restarts', 'uptime_ms', 'cpu', 'memory']);
      assert.equal(w.state, 'ready');
      assert.equal(typeof w.memory, 'number');
    }
    const table = await cli(home, ['status']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /app.*id.*pid.*state.*gen.*uptime.*restarts.*cpu.*memory/i);

    const before = workersOf(pid).map((w) => w.pid);
    const reload = await cli(home, ['reload']);
    assert.equal(reload.code, 0, reload.stderr);
    assert.match(reload.stdout, /rolling reload gen 1 -> 2 \(supervisor reload\)/, 'progress lines are printed');
    assert.match(reload.stdout, /reload to gen 2 done/);
    const after = await waitFor('only gen 2 workers', () => {
      const ws = workersOf(pid);
      return ws.length === 2 && ws.every((w) => w.generation === 2) ? ws.map((w) => w.pid) : null;
    });
    for (const p of after) assert.ok(!before.includes(p), 'every pid changed');

    const masterLog = path.join(home, 'logs', 'supervisor.log');
    renameSync(masterLog, masterLog + '.1');
    process.kill(pid, 'SIGUSR1');
    await waitFor('the master log reopened', () => existsSync(masterLog));

    const again = await cli(home, ['start', file]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(readFileSync(masterLog, 'utf8'), /config .*ecosystem\.json: 1 app/, 'the master writes to the reopened log');
    assert.match(again.stdout, new RegExp(`a master is already running \\(pid ${pid}\\)`));
    assert.equal(pidfilePid(home), pid, 'no second master');
    const other = writeConfig(dir, { apps: [jobs(dir, { name: 'extra', instances: 1 })] }, 'other.json');
    const add = await cli(home, ['start', other]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /a master is already running/);
    const both = JSON.parse((await cli(home, ['status', '--json'])).stdout) as { apps: { name: string; workers: { state: string }[] }[] };
    assert.deepEqual(both.apps.map((a) => a.name).sort(), ['extra', 'jobs'], 'the second config\'s app was added to the running master');
    assert.ok(both.apps.every((a) => a.workers.every((w) => w.state === 'ready')));

    const stop = await cli(home, ['stop']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.ok(!alive(pid), 'the master is gone when stop returns');
    assert.ok(!existsSync(path.join(home, 'supervisor.pid')), 'no pidfile left');
    assert.ok(!existsSync(path.join(home, 'supervisor.sock')), 'no socket left');
    await waitFor('no worker left', () => [...before, ...after].every((p) => !alive(p)), 5000);
    assert.deepEqual(pidsMatching(dir), [], 'no process of this test is left');
  } finally {
    await killDaemon(home);
  }
});

test('kill -9 of the master, then start again: the stale pidfile and socket are cleared', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [jobs(dir, { instances: 1 })] });
  try {
    assert.equal((await cli(home, ['start', file])).code, 0);
    const first = pidfilePid(home)!;
    process.kill(first, 'SIGKILL');
    await waitFor('the master to die', () => !alive(first));
    assert.ok(existsSync(path.join(home, 'supervisor.pid')) && existsSync(path.join(home, 'supervisor.sock')), 'kill -9 leaves both files');
    assert.equal((await cli(home, ['status'])).code, 3, 'a dead master is reported as not running');
    const again = await cli(home, ['start', file]);
    assert.equal(again.code, 0, again.stderr);
    const second = pidfilePid(home)!;
    assert.notEqual(second, first);
    assert.match(readFileSync(path.join(home, 'logs', 'supervisor.log'), 'utf8'), new RegExp(`replaced a stale pidfile .*pid ${first} is not running`));
    const status = JSON.parse((await cli(home, ['status', '--json'])).stdout) as { apps: { workers: { state: string }[] }[] };
    assert.equal(status.apps[0]!.workers[0]!.state, 'ready');
    assert.equal((await cli(home, ['stop'])).code, 0);
    assert.ok(!existsSync(path.join(home, 'supervisor.pid')));
  } finally {
    await killDaemon(home);
  }
});

test('start of an app that crashes at boot prints the error, exits 1 and leaves no daemon', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [{ name: 'broken', script: fixture('crash-at-boot.mjs'), start_retries: 1 }] });
  const res = await cli(home, ['start', file]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^supervisor: start failed: .*broken/m);
  assert.ok(!existsSync(path.join(home, 'supervisor.pid')), 'no pidfile');
  assert.ok(!existsSync(path.join(home, 'supervisor.sock')), 'no socket');
  assert.deepEqual(pidsMatching(home), [], 'no daemon process');
});

test('a daemon resolves relative paths before chdir("/"), keeps worker lines out of the master log, and serves logs', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  // A relative script path and a relative config path, both resolved before the daemon leaves its cwd.
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: path.relative(dir, fixture('chatty.mjs')), wait_ready: true, kill_timeout: '2s' }] });
  try {
    const started = await cli(home, ['start', path.relative(scratch(), file)]); // the CLI runs in scratch()
    assert.equal(started.code, 0, started.stderr);
    const out = path.join(home, 'logs', 'chatty-out.log');
    await waitFor('worker lines in the app log', () => existsSync(out) && workerLines(readFileSync(out, 'utf8')).some((l) => /^out \d+$/.test(l.message)));
    assert.doesNotMatch(readFileSync(path.join(home, 'logs', 'supervisor.log'), 'utf8'), /\| (out|err) \d+/, 'worker lines stay out of the master log');
    const reload = await cli(home, ['reload']);
    assert.equal(reload.code, 0, `a reload after chdir("/") still finds the script: ${reload.stderr}`);
    const logs = await cli(home, ['logs', 'chatty', '-n', '1']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /chatty#0 \| out \d+/);
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
});

test('three starts at once leave exactly one master', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [jobs(dir, { instances: 1 })] });
  try {
    const results = await Promise.all([1, 2, 3].map(() => cli(home, ['start', file])));
    assert.ok(results.some((r) => r.code === 0), results.map((r) => r.stderr).join('\n'));
    for (const r of results) if (r.code !== 0) assert.match(r.stderr, /^supervisor: start failed: a master is already running \(pid \d+/);
    const masters = pidsMatching(`master-daemon ${file}`);
    assert.equal(masters.length, 1, 'one daemon');
    assert.equal(pidfilePid(home), masters[0], 'the pidfile names it');
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
});
