// Scenario 1: random SIGKILLs of workers every 200 ms while SIGHUP reloads run, a job app and
// an HTTP app under keep-alive load. Afterwards the workers converge to the desired count of
// the newest generation, nothing is leaked, every job of a worker we did not kill finished,
// and every HTTP error happened on a connection of a worker we killed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/http.js';
import { keepAliveLoad, type LoadError } from '../helpers/keepalive-load.js';
import { checkJobLog } from '../helpers/job-log.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';
import { waitSettled } from '../helpers/control.js';

const INSTANCES = 4;

// "conn <client port> <pid> <ms>" lines: which worker accepted each client port, and when.
function connections(file: string): Map<number, { pid: number; at: number }[]> {
  const byPort = new Map<number, { pid: number; at: number }[]>();
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.split('\n')) {
    const [word, port, pid, at] = line.split(' ');
    if (word !== 'conn') continue;
    const list = byPort.get(Number(port)) ?? [];
    list.push({ pid: Number(pid), at: Number(at) });
    byPort.set(Number(port), list);
  }
  return byPort;
}

// The worker that held the failed request's connection: the last accept of that port before the error.
function ownerOf(e: LoadError, conns: Map<number, { pid: number; at: number }[]>): number | null {
  if (e.localPort === null) return null;
  const before = (conns.get(e.localPort) ?? []).filter((c) => c.at <= e.at + 5);
  return before.length ? before[before.length - 1]!.pid : null;
}

test('random worker kills with reloads under load: converges, leaks nothing, loses only killed work', { timeout: 90_000 }, async () => {
  const stormMs = scale(30_000, 3_000);
  const killEveryMs = 200;
  const reloadEveryMs = scale(3_000, 1_000);
  const dir = tempDir('gs-chaos-kills-');
  const port = await freePort();
  const jobLog = path.join(dir, 'jobs.log');
  const connLog = path.join(dir, 'conns.log');
  // max_restarts is raised so the kills (not a real crash loop) never make an app fatal;
  // the backoff itself is the default one.
  const common = { args: [dir], instances: INSTANCES, wait_ready: true, kill_timeout: '10s', max_restarts: 1000 };
  const file = writeConfig(dir, {
    apps: [
      { name: 'jobs', script: fixture('job-worker.mjs'), ...common, env: { JOB_LOG: jobLog } },
      { name: 'web', script: fixture('conn-http-worker.mjs'), ...common, listen: [`tcp://127.0.0.1:${port}`], env: { CONN_LOG: connLog } },
    ],
  });
  assert.deepEqual(pidsMatching(dir), [], 'no process of this test before it starts');
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const from = m.mark();
    const load = keepAliveLoad(port, 8);
    await waitFor('the load being served', () => load.stats.ok >= 20);

    const killed = new Set<number>();
    let reloads = 0;
    let lastKillAt = Date.now();
    const t0 = Date.now();
    let nextReload = t0 + reloadEveryMs;
    while (Date.now() - t0 < stormMs) {
      const ws = workersOf(m.pid);
      const victim = ws[Math.floor(Math.random() * ws.length)];
      if (victim) {
        try {
          process.kill(victim.pid, 'SIGKILL');
          killed.add(victim.pid);
          lastKillAt = Date.now();
        } catch {
          // it exited by itself in the meantime
        }
      }
      if (Date.now() >= nextReload) {
        m.signal('SIGHUP');
        reloads++;
        nextReload += reloadEveryMs;
      }
      await sleep(killEveryMs);
    }
    const settled = await waitSettled(m.home, 40_000);
    const want = new Map(settled.apps.map((a) => [a.name, a.generation]));
    const workers = await waitFor('4 workers of the newest generation per app', () => {
      const ws = workersOf(m.pid);
      const ok = ['jobs', 'web'].every((app) => {
        const mine = ws.filter((w) => w.app === app);
        return mine.length === INSTANCES && mine.every((w) => w.generation === want.get(app)) && new Set(mine.map((w) => w.slot)).size === INSTANCES;
      });
      return ok ? ws : null;
    }, 10_000);
    const convergeMs = Date.now() - lastKillAt;
    assert.equal(workers.length, 2 * INSTANCES);
    // The newest workers serve: every fresh worker answers before the load stops.
    await waitFor('requests served after the storm', () => load.stats.ok > 0);
    const stats = await load.stop();
    const done = m.countEvents({ event: 'reload-done' }, from);
    const aborted = m.countEvents({ event: 'reload-aborted' }, from);
    const crashes = m.countEvents({ event: 'worker-exit', outcome: 'crash', signal: 'SIGKILL' }, from);
    assert.equal(m.countEvents({ event: 'app-fatal' }), 0, 'no app went fatal');

    assert.equal((await stopMaster(m)).code, 0, 'the master stops cleanly');
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);

    const jobs = checkJobLog(jobLog);
    const cut = jobs.unfinished.filter((id) => !killed.has(Number(id.split('-')[0])));
    assert.deepEqual(cut, [], 'every job of a worker that was not killed finished');
    assert.deepEqual(jobs.duplicated, [], 'no job ran twice');

    const conns = connections(connLog);
    const owners = stats.errors.map((e) => ownerOf(e, conns));
    const unexplained = stats.errors.filter((_, i) => owners[i] === null || !killed.has(owners[i]!));
    assert.deepEqual(unexplained, [], 'every HTTP error was on a connection of a killed worker');
    assert.ok(stats.ok > 0);

    report({
      id: '1',
      scenario: 'Random worker kills + reloads',
      load: `4 job workers; 4 HTTP workers under 8 keep-alive connections (${stats.ok} requests answered)`,
      faults: `${killed.size} SIGKILLs (1 every ${killEveryMs} ms for ${stormMs / 1000} s) + ${reloads} SIGHUPs`,
      lost: `${jobs.unfinished.length} of ${jobs.started} jobs cut, all on killed workers; ${stats.errors.length} HTTP errors, all on killed workers' connections; 0 leaked processes`,
      result: `converged to 4+4 ready workers of the newest generation ${convergeMs} ms after the last kill; ${crashes} kills restarted as crashes; per-app reloads: ${done} done, ${aborted} aborted (a new worker killed before ready; the old generation kept serving)`,
    });
  } finally {
    await stopMaster(m);
  }
});
