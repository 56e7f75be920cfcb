// `supervisor upgrade`: the master of a newly installed version takes over the sockets and the
// apps of the running one without a failed request or a cut job; a new master that crashes at
// boot changes nothing; under `supervisor run` the pid must not change, so it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { freePort } from '../helpers/http.js';
import { installCopy, cliOf, type InstalledCopy } from '../helpers/installed-copy.js';
import { checkJobLog } from '../helpers/job-log.js';
import { keepAliveLoad } from '../helpers/keepalive-load.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { fixture } from '../helpers/paths.js';
import { alive, childrenOf, cmdline, pidsMatching, stat } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { request } from '../../src/cli/control-client.js';
import { socketOf } from '../helpers/control.js';
import { testSignal } from '../helpers/harness.js';
import { workersOf } from '../helpers/workers.js';

// An HTTP app on `port` (2 workers) and 3 job workers; `dir` is in every worker's argv (a marker).
function apps(dir: string, port: number): unknown[] {
  return [
    { name: 'web', script: fixture('conn-http-worker.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '10s', listen: `tcp://127.0.0.1:${port}`, env: { CONN_LOG: path.join(dir, 'conn.log') } },
    { name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 3, wait_ready: true, kill_timeout: '10s', env: { JOB_LOG: path.join(dir, 'jobs.log'), JOB_MS: '150' } },
  ];
}

// The workers of this test (their argv holds `dir`), whoever their master is.
const workerPids = (dir: string): number[] => pidsMatching(dir).filter((p) => /fixtures\/(conn-http|job)-worker/.test(cmdline(p)));

async function versions(copy: InstalledCopy, home: string): Promise<{ installed: string; master: { pid: number; version: string } | null }> {
  const res = await cliOf(copy, home, ['version', '--json']);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout) as { installed: string; master: { pid: number; version: string } | null };
}

// A daemon started from an installed copy of the package, running apps(): its dir, home, copy, port.
async function startFromCopy(prefix: string): Promise<{ dir: string; home: string; copy: InstalledCopy; port: number }> {
  const dir = tempDir(prefix);
  const home = path.join(dir, 'home');
  const copy = installCopy(path.join(dir, 'pkg'));
  const port = await freePort();
  const started = await cliOf(copy, home, ['start', writeConfig(dir, { apps: apps(dir, port) })]);
  assert.equal(started.code, 0, started.stderr);
  return { dir, home, copy, port };
}

test('three upgrades in a row (and one by SIGUSR2) under keep-alive load: 0 failed requests, 0 jobs cut, a new master each time, nothing left of the old ones', { timeout: 240_000 }, async () => {
  const { dir, home, copy, port } = await startFromCopy('gs-upgrade-');
  try {
    const masters = [pidfilePid(home)!];
    const load = keepAliveLoad(port, 50);
    // Status calls in a loop across every switch: the control socket always has a master behind it.
    const pings = { ok: 0, failed: [] as string[], pids: new Set<number>() };
    const ended = testSignal();
    let pinging = true;
    const pinger = (async () => {
      while (pinging && !ended.aborted) {
        try {
          const res = await request(socketOf(home), 'status', {}, undefined, 15_000);
          if (res.ok) {
            pings.ok++;
            pings.pids.add((res.data as { pid: number }).pid);
          } else pings.failed.push(res.message ?? String(res.code));
        } catch (error) {
          pings.failed.push((error as Error).message);
        }
      }
    })();
    await waitFor('the load to run', () => load.stats.ok >= 200, 30_000);
    for (let i = 1; i <= 4; i++) {
      const version = `0.1.${i}-test`;
      copy.setVersion(version);
      const before = await versions(copy, home);
      assert.equal(before.installed, version);
      assert.notEqual(before.master?.version, version, 'the master still runs the version it booted with');
      if (i === 1) {
        const table = await cliOf(copy, home, ['status']);
        assert.match(table.stdout, new RegExp(`master pid ${masters[0]} runs version ${before.master?.version}; version ${version} is installed: "supervisor upgrade" switches to it`));
      }
      const old = masters.at(-1)!;
      const servedBefore = load.stats.ok;
      if (i < 4) {
        const res = await cliOf(copy, home, ['upgrade'], 120_000);
        assert.equal(res.code, 0, `upgrade ${i}: ${res.stdout}\n${res.stderr}`);
        assert.match(res.stdout, new RegExp(`took over from pid ${old} .*\\nold master pid ${old} exited`, 's'));
      } else {
        process.kill(old, 'SIGUSR2'); // the same path, without a client
        await waitFor('the old master to exit after SIGUSR2', () => !alive(old), 120_000);
      }
      const now = pidfilePid(home)!;
      assert.notEqual(now, old, 'the pidfile names the new master');
      assert.ok(alive(now));
      assert.ok(!alive(old), 'the old master has exited');
      const after = await versions(copy, home);
      assert.deepEqual(after.master, { pid: now, version }, 'the control socket reaches the new master, which runs the new version');
      masters.push(now);
      // Every worker of this test is the new master's child: nothing is left of the old ones.
      const workers = workerPids(dir);
      assert.equal(workers.length, 5, `workers: ${workers.join(', ')}`);
      for (const w of workers) assert.equal(stat(w)?.ppid, now, `worker ${w} belongs to the new master`);
      assert.equal(workersOf(now).length, 5);
      await waitFor('requests after the upgrade', () => load.stats.ok >= servedBefore + 200, 30_000);
    }
    for (const m of masters.slice(0, -1)) assert.ok(!alive(m), `old master ${m} is gone`);
    pinging = false;
    await pinger;
    assert.deepEqual(pings.failed.slice(0, 3), [], `${pings.failed.length} of ${pings.ok + pings.failed.length} status calls found no master`);
    assert.ok(pings.pids.size >= 4, `status was answered by ${pings.pids.size} masters in turn`);
    const stats = await load.stop();
    assert.deepEqual(stats.errors.slice(0, 5), [], `${stats.errors.length} failed requests of ${stats.ok + stats.errors.length}`);
    const stopped = await cliOf(copy, home, ['stop']);
    assert.equal(stopped.code, 0, stopped.stderr);
    const jobs = checkJobLog(path.join(dir, 'jobs.log'));
    assert.ok(jobs.started > 0);
    assert.deepEqual(jobs.unfinished, [], 'no job was cut');
    assert.deepEqual(workerPids(dir), []);
    assert.deepEqual(readdirSync(home).filter((f) => /^workers\.\d+\.pids$|^supervisor\.sock/.test(f)), [], 'no record file or socket is left behind');
  } finally {
    await killDaemon(home);
  }
});

test('an upgrade to a master that crashes at boot: exit 1 with the reason, the old master and its workers untouched, 0 failed requests, 0 jobs cut', { timeout: 120_000 }, async () => {
  const { dir, home, copy, port } = await startFromCopy('gs-upgrade-crash-');
  try {
    const master = pidfilePid(home)!;
    const workers = workerPids(dir).sort();
    assert.equal(workers.length, 5);
    const load = keepAliveLoad(port, 50);
    await waitFor('the load to run', () => load.stats.ok >= 200, 30_000);
    copy.breakMaster();
    const res = await cliOf(copy, home, ['upgrade']);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(res.stderr, /^supervisor: upgrade failed: nothing changed \(this master, pid \d+, version [^,]+, keeps serving\): the new master exited \(code 1\)/);
    const served = load.stats.ok;
    await waitFor('requests after the failed upgrade', () => load.stats.ok >= served + 200, 30_000);
    assert.equal(pidfilePid(home), master);
    assert.deepEqual(workerPids(dir).sort(), workers, 'the same workers serve');
    const status = await cli(home, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { master: { pid: number } }).master.pid, master);
    assert.ok(!existsSync(path.join(home, 'supervisor.sock.')) && readdirSync(home).filter((f) => f.startsWith('supervisor.sock.')).length === 0, 'no socket of the failed master is left');
    const stats = await load.stop();
    assert.deepEqual(stats.errors.slice(0, 5), [], `${stats.errors.length} failed requests`);
    const stopped = await cli(home, ['stop']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.deepEqual(checkJobLog(path.join(dir, 'jobs.log')).unfinished, []);
  } finally {
    await killDaemon(home);
  }
});

test('under supervisor run, upgrade is refused (the pid must not change) and nothing changes', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-upgrade-run-');
  const file = writeConfig(dir, { apps: [{ name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 1, wait_ready: true, env: { JOB_LOG: path.join(dir, 'jobs.log') } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const res = await cli(m.home, ['upgrade']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /upgrade refused: this master runs in the foreground \("supervisor run"\), whose pid must stay the same/);
    const status = await cli(m.home, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { apps: { status: string }[] }).apps[0]!.status, 'running');
  } finally {
    await stopMaster(m);
  }
});

test('cluster-mode sockets and unix listen sockets pass to the new master and stay bound: no failed request, the unix path still answers', { timeout: 120_000 }, async () => {
  const dir = tempDir('gs-upgrade-cluster-');
  const home = path.join(dir, 'home');
  const port = await freePort();
  const file = writeConfig(dir, {
    apps: [
      { name: 'plain', script: fixture('cluster/plain-http.cjs'), args: [dir], exec_mode: 'cluster', instances: 2, env: { PORT: String(port), HOST: '127.0.0.1' } },
      { name: 'py', script: fixture('socket-activated.py'), args: [dir], interpreter: 'python3', instances: 1, listen: ['unix:py.sock'], wait_ready: true },
    ],
  });
  const askUnix = () => new Promise<number>((resolve, reject) => {
    const req = http.get({ socketPath: path.join(dir, 'py.sock'), path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  try {
    const started = await cli(home, ['start', file]);
    assert.equal(started.code, 0, started.stderr);
    const load = keepAliveLoad(port, 20);
    await waitFor('the load to run', () => load.stats.ok >= 100, 30_000);
    for (let i = 0; i < 2; i++) {
      const old = pidfilePid(home)!;
      const res = await cli(home, ['upgrade'], {}, 120_000);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.notEqual(pidfilePid(home), old);
      assert.equal(await askUnix(), 200, 'the unix socket path is still there and served by the new master\'s worker');
      const served = load.stats.ok;
      await waitFor('requests after the upgrade', () => load.stats.ok >= served + 100, 30_000);
    }
    const stats = await load.stop();
    assert.deepEqual(stats.errors.slice(0, 5), [], `${stats.errors.length} failed requests`);
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
});

test('the metrics endpoint\'s socket passes to the new master: the same address serves before, during and after', { timeout: 90_000 }, async () => {
  const dir = tempDir('gs-upgrade-metrics-');
  const home = path.join(dir, 'home');
  const port = await freePort();
  const file = writeConfig(dir, { apps: [{ name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 1, wait_ready: true, env: { JOB_LOG: path.join(dir, 'jobs.log') } }], metrics: { host: '127.0.0.1', port } });
  const scrape = () => new Promise<number>((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', () => resolve(0));
  });
  try {
    const started = await cli(home, ['start', file]);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(await scrape(), 200);
    for (let i = 0; i < 2; i++) {
      const old = pidfilePid(home)!;
      const res = await cli(home, ['upgrade'], {}, 60_000);
      assert.equal(res.code, 0, `a metrics port the old master holds must not fail the upgrade: ${res.stdout}${res.stderr}`);
      assert.ok(!alive(old));
      assert.equal(await scrape(), 200, 'the new master serves the endpoint on the same port');
      const status = JSON.parse((await cli(home, ['status', '--json'])).stdout) as { metrics: { url: string } };
      assert.equal(status.metrics.url, `http://127.0.0.1:${port}/metrics`);
    }
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
});

test('what was changed by hand stays: a scaled app keeps its count, a stopped app stays stopped; start during an upgrade is refused', { timeout: 90_000 }, async () => {
  const dir = tempDir('gs-upgrade-state-');
  const home = path.join(dir, 'home');
  const job = (name: string, instances: number) => ({ name, script: fixture('job-worker.mjs'), args: [dir], instances, wait_ready: true, env: { JOB_LOG: path.join(dir, `${name}.log`) } });
  const file = writeConfig(dir, { apps: [job('jobs', 2), job('idle', 1), { name: 'slow', script: fixture('slow-boot.mjs'), args: [dir], wait_ready: true, env: { READY_DELAY_MS: '2000' } }] });
  try {
    assert.equal((await cli(home, ['start', file])).code, 0);
    assert.equal((await cli(home, ['scale', 'jobs', '3'])).code, 0);
    assert.equal((await cli(home, ['stop', 'idle'])).code, 0);
    const old = pidfilePid(home)!;
    const upgrading = cli(home, ['upgrade'], {}, 60_000);
    await waitFor('the new master to start', () => childrenOf(old).some((p) => cmdline(p).includes('master-daemon')), 30_000);
    const during = await cli(home, ['start', file]);
    assert.equal(during.code, 1, during.stdout + during.stderr);
    assert.match(during.stderr, /an upgrade is under way: start would not reach the new master/);
    const res = await upgrading;
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const doc = JSON.parse((await cli(home, ['status', '--json'])).stdout) as { apps: { name: string; status: string; instances: number; file_instances: number }[] };
    const app = (name: string) => doc.apps.find((a) => a.name === name)!;
    assert.deepEqual([app('jobs').instances, app('jobs').file_instances], [3, 2], 'the scale survives the upgrade');
    assert.equal(app('idle').status, 'stopped', 'the stopped app stays stopped');
    assert.equal(workersOf(pidfilePid(home)!).filter((w) => w.app === 'jobs').length, 3);
    assert.equal((await cli(home, ['stop'])).code, 0);
  } finally {
    await killDaemon(home);
  }
});
