// Scenario I5: workers that start children. Reloads of shell and Node workers that leave a
// child behind (which holds their stdout and stderr): no child outlives its worker's group and
// the master's fds return to their baseline. kill -9 of the master: no descendant left after
// 2 s for cooperative trees. The next master reaps whole groups the way each app asks: its
// kill_timeout (jobs longer than the old fixed 5 s finish) and kill_group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { fdCount } from '../helpers/control-raw.js';
import { checkJobLog } from '../helpers/job-log.js';
import { alive, pidsMatching } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { mb, rssOf } from '../helpers/rss.js';
import { report, scale } from '../helpers/chaos.js';

// Two apps whose workers each start one child marked "tree-child-<marker>".
function treeApps(marker: string, instances: number) {
  return [
    { name: 'sh', script: fixture('tree-sh.sh'), args: [marker], instances, wait_ready: true, kill_timeout: '3s' },
    { name: 'node', script: fixture('tree-node.mjs'), args: [marker], instances, wait_ready: true, kill_timeout: '3s' },
  ];
}

const children = (marker: string) => pidsMatching(`tree-child-${marker}`);

test('reloads of workers that start children: no child left behind, master fds back to the baseline', { timeout: 600_000 }, async () => {
  const reloads = scale(200, 12);
  const instances = 2;
  const dir = tempDir('gs-chaos-trees-');
  const marker = path.basename(dir);
  const file = writeConfig(dir, { apps: treeApps(marker, instances) });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'sh' });
    await m.waitForEvent({ event: 'app-started', app: 'node' });
    await waitFor('every worker\'s child', () => children(marker).length === 2 * instances);
    const fds0 = fdCount(m.pid)!;
    const rss0 = rssOf(m.pid)!;
    const t0 = Date.now();
    let peakChildren = 0;
    for (let gen = 2; gen <= reloads + 1; gen++) {
      const after = m.mark();
      m.signal('SIGHUP');
      await m.waitForEvent({ event: 'reload-done', app: 'sh', generation: gen }, { after, timeoutMs: 30_000 });
      await m.waitForEvent({ event: 'reload-done', app: 'node', generation: gen }, { after, timeoutMs: 30_000 });
      peakChildren = Math.max(peakChildren, children(marker).length);
    }
    const ms = Date.now() - t0;
    const left = await waitFor('only the children of the current workers', () => (children(marker).length === 2 * instances ? children(marker) : null), 20_000);
    const fds1 = await waitFor('the master fds back to the baseline', () => (fdCount(m.pid)! <= fds0 ? fdCount(m.pid) : null), 20_000);
    const swept = m.countEvents({ event: 'log', message: /is gone but left \d+ process\(es\) in its group/ });
    assert.ok(swept > 0, 'the master says when it stops what a worker left');
    assert.equal(workersOf(m.pid).length, 2 * instances);
    report({
      id: 'I5a',
      scenario: 'Reloads of workers that start children',
      load: `${instances} shell + ${instances} Node workers, each with a child holding its stdout and stderr`,
      faults: `${reloads} reloads (SIGHUP); every old worker exits and leaves its child behind`,
      lost: 'none',
      result: `every child stopped with its worker's group (${swept} groups swept; at most ${peakChildren} children alive at once, ${left.length} after); master fds ${fds0} -> ${fds1}, RSS ${mb(rss0)} -> ${mb(rssOf(m.pid)!)}; ${(ms / 1000).toFixed(1)} s`,
    });
  } finally {
    await stopMaster(m);
  }
  assert.deepEqual(pidsMatching(marker), [], 'nothing left once the master stopped');
});

test('kill -9 of the master: no descendant of a cooperative tree is left after 2 s', { timeout: 120_000 }, async () => {
  const rounds = scale(3, 1);
  const bound = scale(2000, 10_000);
  const dir = tempDir('gs-chaos-trees9-');
  const marker = path.basename(dir);
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: treeApps(marker, 2) });
  const gone: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const started = await cli(home, ['start', file]);
      assert.equal(started.code, 0, started.stderr);
      await waitFor('every worker\'s child', () => children(marker).length === 4);
      const master = pidfilePid(home)!;
      const tree = pidsMatching(marker).filter((p) => p !== master);
      assert.equal(tree.length, 8, 'four workers and their four children');
      process.kill(master, 'SIGKILL');
      const t0 = Date.now();
      await waitFor(`no descendant left within ${bound} ms`, () => pidsMatching(marker).length === 0, bound, 20);
      gone.push(Date.now() - t0);
    }
    report({
      id: 'I5b',
      scenario: 'Master killed with -9: workers with children',
      load: '2 shell + 2 Node workers, each with a child',
      faults: `${rounds} x kill -9 of the daemon`,
      lost: 'none',
      result: `every worker and child gone ${Math.max(...gone)} ms (max) after the kill (workers: parent-death signal; their children: the keeper signalled each group once its worker was gone)`,
    });
  } finally {
    await killDaemon(home);
  }
});

test('the next master reaps whole groups with each app\'s kill_timeout and kill_group', { timeout: 180_000 }, async () => {
  const jobMs = scale(20_000, 7_000);
  const killTimeout = scale(60_000, 20_000);
  const dir = tempDir('gs-chaos-reap-');
  const marker = path.basename(dir);
  const home = path.join(dir, 'home');
  const jobLog = path.join(dir, 'jobs.log');
  const file = writeConfig(dir, {
    apps: [
      { name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 3, wait_ready: true, kill_timeout: killTimeout, env: { JOB_LOG: jobLog, JOB_MS: String(jobMs) } },
      { name: 'deaf', script: fixture('deaf-tree.sh'), args: [marker], instances: 1, wait_ready: true, kill_timeout: 1000, kill_group: true },
    ],
  });
  try {
    const started = await cli(home, ['start', file]);
    assert.equal(started.code, 0, started.stderr);
    const master = pidfilePid(home)!;
    await waitFor('a job in hand on every worker', () => checkJobLog(jobLog).unfinished.length === 3, 30_000);
    await waitFor('the deaf worker\'s child', () => children(marker).length === 1);
    const deaf = workersOf(master).find((w) => w.app === 'deaf')!.pid;
    const recorded = JSON.parse(readFileSync(path.join(home, 'workers.pids'), 'utf8')) as { groups: { app: string; stop_signal: string; kill_timeout: number; kill_group: boolean }[] };
    assert.deepEqual(recorded.groups.find((g) => g.app === 'deaf'), { ...recorded.groups.find((g) => g.app === 'deaf')!, stop_signal: 'SIGTERM', kill_timeout: 1000, kill_group: true });
    const held = checkJobLog(jobLog).unfinished;
    process.kill(master, 'SIGKILL');
    await waitFor('the master gone', () => !alive(master));
    const t0 = Date.now();
    const again = await cli(home, ['start', file], {}, killTimeout * 3);
    const reapMs = Date.now() - t0;
    assert.equal(again.code, 0, again.stderr);
    const unfinished = checkJobLog(jobLog).unfinished;
    assert.deepEqual(held.filter((id) => unfinished.includes(id)), [], 'every job in hand at the kill finished');
    assert.ok(!alive(deaf), 'the deaf worker was SIGKILLed');
    assert.equal(children(marker).length, 1, 'its child went with its group (kill_group); only the new worker\'s child runs');
    const log = readFileSync(path.join(home, 'logs', 'supervisor.log'), 'utf8');
    assert.match(log, /stopped 4 leftover worker\(s\) of a previous master/);
    assert.equal((await cli(home, ['stop'])).code, 0);
    report({
      id: 'I5c',
      scenario: 'The next master reaps a dead master\'s groups as each app asks',
      load: `3 job workers (${jobMs / 1000} s jobs, kill_timeout ${killTimeout / 1000} s) + 1 worker that ignores SIGTERM with a child (kill_group, kill_timeout 1 s)`,
      faults: 'kill -9 of the daemon with a job in hand on every worker, then supervisor start at once',
      lost: `0 of ${held.length} jobs in hand cut (the old fixed 5 s SIGKILL cut them)`,
      result: `the new start waited ${(reapMs / 1000).toFixed(1)} s for the jobs to finish; the deaf worker's whole group SIGKILLed after its kill_timeout`,
    });
  } finally {
    await killDaemon(home);
  }
});
