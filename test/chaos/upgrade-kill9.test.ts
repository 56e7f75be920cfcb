// Scenario U1/U2: kill -9 of a master in the middle of `supervisor upgrade`, under keep-alive
// load with job workers. The old master killed: the new one takes over on its own once ready
// (the old workers get their stop signal from the kernel and finish). The new master killed
// before it took over: the old one rolls back and keeps serving. Either way the next
// `supervisor start` (or upgrade) finds one master, and a stop leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, type CliResult } from '../helpers/cli.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { freePort } from '../helpers/http.js';
import { checkJobLog } from '../helpers/job-log.js';
import { keepAliveLoad } from '../helpers/keepalive-load.js';
import { fixture } from '../helpers/paths.js';
import { alive, childrenOf, cmdline, pidsMatching, stat } from '../helpers/procs.js';
import { waitFor } from '../helpers/wait.js';
import { report, scale } from '../helpers/chaos.js';

// An HTTP app, 3 job workers, and an app that takes 2 s to boot, so an upgrade lasts that long.
function apps(dir: string, port: number): unknown[] {
  return [
    { name: 'web', script: fixture('conn-http-worker.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '10s', listen: `tcp://127.0.0.1:${port}`, env: { CONN_LOG: path.join(dir, 'conn.log') } },
    { name: 'jobs', script: fixture('job-worker.mjs'), args: [dir], instances: 3, wait_ready: true, kill_timeout: '10s', env: { JOB_LOG: path.join(dir, 'jobs.log'), JOB_MS: '150' } },
    { name: 'slow', script: fixture('slow-boot.mjs'), args: [dir], instances: 1, wait_ready: true, env: { READY_DELAY_MS: '2000' } },
  ];
}

const newMasterOf = (old: number): number | undefined => childrenOf(old).find((p) => cmdline(p).includes('master-daemon'));
const testProcs = (dir: string): number[] => pidsMatching(dir).filter((p) => /fixtures\/|master-daemon/.test(cmdline(p)));
// True when every test process is the survivor or its child; else throws naming the others.
function onlySurvivorLeft(dir: string, survivor: number): true {
  const strays = testProcs(dir).filter((p) => p !== survivor && !childrenOf(survivor).includes(p));
  if (strays.length > 0) throw new Error(`left: ${strays.map((p) => `pid ${p} (ppid ${stat(p)?.ppid}, state ${stat(p)?.state}) ${cmdline(p).slice(0, 160)}`).join('; ')}`);
  return true;
}

for (const victim of ['old', 'new'] as const) {
  test(`kill -9 of the ${victim} master in the middle of an upgrade: one master is left serving, and the next start and upgrade work`, { timeout: 240_000 }, async () => {
    const rounds = scale(3, 1);
    const dir = tempDir(`gs-chaos-upgrade-${victim}-`);
    const home = path.join(dir, 'home');
    const port = await freePort();
    const file = writeConfig(dir, { apps: apps(dir, port) });
    const outcomes: string[] = [];
    const killedWorkers: number[] = [];
    try {
      const started = await cli(home, ['start', file]);
      assert.equal(started.code, 0, started.stderr);
      const load = keepAliveLoad(port, 50);
      await waitFor('the load to run', () => load.stats.ok >= 200, 30_000);
      for (let round = 1; round <= rounds; round++) {
        const old = pidfilePid(home)!;
        const upgrading: Promise<CliResult> = cli(home, ['upgrade'], {}, 120_000);
        let ended: CliResult | null = null;
        void upgrading.then((r) => (ended = r));
        let fresh: number | undefined;
        await waitFor('the new master to start its workers', () => {
          if (ended) throw new Error(`the upgrade ended before the kill: exit ${ended.code}\n${ended.stdout}\n${ended.stderr}`);
          return (fresh = newMasterOf(old)) !== undefined && childrenOf(fresh).length >= 3;
        }, 60_000);
        const killed = victim === 'old' ? old : fresh!;
        killedWorkers.push(...childrenOf(killed));
        const survivor = victim === 'old' ? fresh! : old;
        process.kill(killed, 'SIGKILL');
        const res = await upgrading;
        await waitFor('the killed master to be gone', () => !alive(killed), 10_000);
        // The survivor is the master: it holds the pidfile and answers on the control socket.
        await waitFor('the survivor to hold the pidfile', () => pidfilePid(home) === survivor, 60_000);
        const status = await cli(home, ['status', '--json']);
        assert.equal(status.code, 0, status.stderr);
        assert.equal((JSON.parse(status.stdout) as { master: { pid: number } }).master.pid, survivor);
        // What the killed master started goes: its workers get their stop signal from the kernel.
        await waitFor('only the survivor\'s processes left', () => onlySurvivorLeft(dir, survivor), 30_000);
        outcomes.push(`round ${round}: upgrade exit ${res.code} (${(res.stderr.trim().split('\n').pop() ?? '').replace(/^.*keeps serving\): /, '').slice(0, 100)}); survivor pid ${survivor} serves; ${testProcs(dir).length - 1} workers, all its own`);
        if (victim === 'new') assert.equal(res.code, 1, 'the upgrade says it failed');
        const served = load.stats.ok;
        await waitFor('requests after the kill', () => load.stats.ok >= served + 200, 30_000);
      }
      // The next start finds the running master; the next upgrade works.
      const again = await cli(home, ['start', file]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /a master is already running/);
      const up = await cli(home, ['upgrade'], {}, 120_000);
      assert.equal(up.code, 0, up.stdout + up.stderr);
      const stats = await load.stop();
      const stopped = await cli(home, ['stop']);
      assert.equal(stopped.code, 0, stopped.stderr);
      await waitFor('nothing left', () => testProcs(dir).length === 0, 30_000);
      // A fresh start reaps what a killed master recorded and clears its files.
      const fresh = await cli(home, ['start', file]);
      assert.equal(fresh.code, 0, fresh.stderr);
      assert.equal((await cli(home, ['stop'])).code, 0);
      const leftFiles = readdirSync(home).filter((f) => /^workers\.\d+\.pids$|^supervisor\.sock\./.test(f));
      assert.deepEqual(leftFiles, []);
      assert.ok(!existsSync(path.join(home, 'supervisor.pid')));
      const jobs = checkJobLog(path.join(dir, 'jobs.log'));
      report({
        id: victim === 'old' ? 'U1' : 'U2',
        scenario: `kill -9 of the ${victim} master in the middle of an upgrade`,
        load: '50 keep-alive connections; 2 HTTP workers, 3 job workers, 1 slow-booting app',
        faults: `${rounds} upgrade(s), each with a kill -9 of the ${victim} master while the new one boots`,
        lost: `${stats.errors.length} failed requests of ${stats.ok + stats.errors.length}; ${jobs.unfinished.length} jobs cut of ${jobs.started}`,
        result: `${outcomes.join('; ')}; then start found the master, an upgrade worked, stop left nothing, a fresh start+stop left no record file`,
      });
      assert.deepEqual(jobs.unfinished, [], `no job was cut: the killed master's job workers got their stop signal from the kernel (its children were ${killedWorkers.join(', ')})`);
    } finally {
      await killDaemon(home);
    }
  });
}
