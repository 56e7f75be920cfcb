// Reaping a dead master's leftovers: each recorded group is stopped with its app's own
// stop_signal within its kill_timeout, what a worker left in its group is stopped too, and
// nothing is signalled unless the file is ours and the process's start time and uid match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reapLeftovers, readGroupRecords, upgradedRecordsFile, writeGroupRecords, type GroupRecord } from '../../../src/runtime/worker-pids.js';
import { UntrustedPathError } from '../../../src/runtime/home-trust.js';
import { startTime } from '../../../src/runtime/proc.js';
import { tempDir } from '../../helpers/config.js';
import { spawnInTest } from '../../helpers/spawn.js';
import { alive, pidsMatching } from '../../helpers/procs.js';
import { waitFor } from '../../helpers/wait.js';

const asRoot = process.getuid?.() === 0;

// A shell in a process group of its own (spawnInTest is detached), running `script`.
function shell(script: string, marker: string): Promise<ChildProcess> {
  const child = spawnInTest('/bin/sh', ['-c', script, marker], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('spawn', () => resolve(child)));
}

function recordOf(child: ChildProcess, extra: Partial<GroupRecord> = {}): GroupRecord {
  return { pid: child.pid!, app: 'a', slot: 0, start: startTime(child.pid!)!, uid: process.geteuid!(), stop_signal: 'SIGTERM', kill_timeout: 10_000, kill_group: false, pdeathsig: false, ...extra };
}

test('a leftover gets its app\'s own stop_signal and is gone long before its kill_timeout', async () => {
  const file = path.join(tempDir(), 'workers.pids');
  const worker = await shell('trap "exit 0" USR1; trap "" TERM; while :; do sleep 0.05; done', 'usr1-worker');
  writeGroupRecords(file, [recordOf(worker, { stop_signal: 'SIGUSR1' })]);
  const t0 = Date.now();
  const reaped = await reapLeftovers(file);
  assert.ok(Date.now() - t0 < 5_000, 'not after the 10 s kill_timeout: SIGUSR1 stopped it');
  assert.deepEqual(reaped.map((r) => [r.record.pid, r.worker]), [[worker.pid, true]]);
  assert.equal(alive(worker.pid!), false);
});

test('what a gone worker left in its group is stopped; a deaf leftover gets SIGKILL at its kill_timeout', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'workers.pids');
  const marker = `left-${path.basename(dir)}`;
  const parent = await shell('sh -c "sleep 30; :" "$0" & exit 0', marker);
  await new Promise((resolve) => parent.once('exit', resolve));
  await waitFor('the child', () => pidsMatching(marker).length === 1);
  const child = pidsMatching(marker)[0]!;
  const deaf = await shell('trap "" TERM; while :; do sleep 0.05; done', `deaf-${marker}`);
  const records = [recordOf(parent, { start: startTime(child)! - 1 }), recordOf(deaf, { kill_timeout: 300 })];
  writeGroupRecords(file, records);
  const reaped = await reapLeftovers(file);
  assert.deepEqual(reaped.map((r) => [r.record.pid, r.worker]).sort(), [[deaf.pid, true], [parent.pid, false]].sort());
  assert.equal(reaped.find((r) => r.record.pid === parent.pid)!.others, 2, 'the child shell and its sleep');
  await waitFor('both gone', () => pidsMatching(marker).length === 0);
});

test('nothing is signalled when the start time or the uid does not match the record', async () => {
  const file = path.join(tempDir(), 'workers.pids');
  const other = await shell('while :; do sleep 0.05; done', 'not-ours');
  writeGroupRecords(file, [recordOf(other, { start: startTime(other.pid!)! - 1 }), recordOf(other, { uid: 12345 })]);
  assert.deepEqual(await reapLeftovers(file), []);
  assert.ok(alive(other.pid!), 'the reused pid was left alone');
});

test('a pid file that is not ours is refused: a link, writable by others, another owner', async (t) => {
  const dir = tempDir();
  const victim = await shell('while :; do sleep 0.05; done', 'victim');
  const real = path.join(dir, 'real.pids');
  writeGroupRecords(real, [recordOf(victim)]);
  const link = path.join(dir, 'link.pids');
  symlinkSync(real, link);
  assert.throws(() => readGroupRecords(link), (e: Error) => e instanceof UntrustedPathError && /is a symbolic link/.test(e.message));
  const open = path.join(dir, 'open.pids');
  writeFileSync(open, readFileSync(real));
  chmodSync(open, 0o666);
  assert.throws(() => readGroupRecords(open), /writable by everyone \(mode 0666\).*chmod 600/);
  await assert.rejects(reapLeftovers(open), UntrustedPathError);
  if (asRoot) {
    const planted = path.join(dir, 'planted.pids');
    writeFileSync(planted, readFileSync(real), { mode: 0o600 });
    chownSync(planted, 65534, 65534);
    assert.throws(() => readGroupRecords(planted), /belongs to uid 65534/);
  } else {
    t.diagnostic('not root: the other-owner case needs chown');
  }
  assert.ok(alive(victim.pid!), 'nothing was signalled');
});

test('a master that replaced another records in workers.<pid>.pids: the next boot reaps the files of dead masters, never a live master\'s', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'workers.pids');
  const deadMastersWorker = await shell('trap "exit 0" TERM; while :; do sleep 0.05; done', 'dead-masters-worker');
  const liveMastersWorker = await shell('trap "exit 0" TERM; while :; do sleep 0.05; done', 'live-masters-worker');
  // A process whose argv reads as a daemon master (the CLI entry, then master-daemon).
  const liveMaster = spawnInTest(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '/opt/gs/dist/src/cli/main.js', 'master-daemon'], { stdio: 'ignore' });
  await new Promise((resolve) => liveMaster.once('spawn', resolve));
  writeGroupRecords(file, []);
  writeGroupRecords(upgradedRecordsFile(file, 999_999_999), [recordOf(deadMastersWorker)]);
  writeGroupRecords(upgradedRecordsFile(file, liveMaster.pid!), [recordOf(liveMastersWorker)]);
  const reaped = await reapLeftovers(file);
  assert.deepEqual(reaped.map((r) => r.record.pid), [deadMastersWorker.pid]);
  await waitFor('the dead master\'s worker to go', () => !alive(deadMastersWorker.pid!));
  assert.ok(alive(liveMastersWorker.pid!), 'a live master\'s worker is left alone');
  assert.ok(!existsSync(upgradedRecordsFile(file, 999_999_999)), 'the dead master\'s file is removed once reaped');
  assert.ok(existsSync(upgradedRecordsFile(file, liveMaster.pid!)), 'the live master\'s file stays');
  liveMaster.kill('SIGKILL');
  liveMastersWorker.kill('SIGKILL');
});
