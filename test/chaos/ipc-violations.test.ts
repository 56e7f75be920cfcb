// Scenario I3: workers that break the IPC protocol (malformed JSON, a supervisor message of
// another version, a 2 MB message) are killed, logged with the reason and replaced, and
// workers that pass fds over their IPC channel or ready fd (SCM_RIGHTS), as the master's user
// and as nobody, do not add a single fd to the master.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { pidsMatching } from '../helpers/procs.js';
import { mb, sampleRss, rssOf } from '../helpers/rss.js';
import { report, scale } from '../helpers/chaos.js';
import { nobodyCannot } from '../helpers/nobody.js';

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

test('a worker that breaks the IPC protocol is killed, logged with the reason, and replaced', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-chaos-badipc-');
  const kinds = { malformed: /malformed IPC message \(not JSON\)/, version: /supervisor:ready message of protocol version 99/, big: /IPC message longer than 1048576 bytes/ };
  const file = writeConfig(dir, {
    apps: Object.keys(kinds).map((kind) => ({ name: `bad-${kind}`, script: fixture('bad-ipc.mjs'), args: [dir], wait_ready: true, env: { BAD_KIND: kind } })),
  });
  const m = startMaster(['run', file]);
  try {
    for (const kind of Object.keys(kinds)) await m.waitForEvent({ event: 'app-started', app: `bad-${kind}` });
    const before = workersOf(m.pid);
    for (const w of before) process.kill(w.pid, 'SIGUSR2');
    for (const [kind, reason] of Object.entries(kinds)) {
      const old = before.find((w) => w.app === `bad-${kind}`)!.pid;
      const broken = await m.waitForEvent({ event: 'worker-broken', app: `bad-${kind}`, worker: 0, generation: 1, pid: old });
      assert.match(String(broken.reason), reason);
      await m.waitForEvent({ event: 'worker-exit', app: `bad-${kind}`, pid: old, outcome: 'crash', signal: 'SIGKILL' });
      await waitFor(`a new bad-${kind} worker`, () => workersOf(m.pid).some((w) => w.app === `bad-${kind}` && w.pid !== old));
    }
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 5000);
    report({
      id: 'I3a',
      scenario: 'Worker breaks the IPC protocol',
      load: '3 Node workers',
      faults: 'malformed JSON; {type: "supervisor:ready", v: 99}; a 2 MB message',
      lost: 'the 3 offending workers (killed)',
      result: 'each closed, SIGKILLed, logged with its reason ("worker-broken") and restarted through the crash policy; the master unaffected',
    });
  } finally {
    await stopMaster(m);
  }
});

test('fds passed to the master with SCM_RIGHTS over the IPC channel and the ready fd never reach its fd table', { timeout: 120_000 }, async () => {
  const messages = scale(20_000, 2_000);
  const dir = tempDir('gs-chaos-fds-');
  const users = nobodyCannot() === null ? ['self', 'nobody'] : ['self'];
  const apps = users.flatMap((who) =>
    ['ipc', 'ready'].map((target) => ({
      name: `fds-${target}-${who}`,
      script: fixture('fd-flood.mjs'),
      args: [dir],
      wait_ready: true,
      env: { FD_TARGET: target, FD_COUNT: String(messages) },
      ...(who === 'nobody' ? { uid: 'nobody', cwd: '/tmp' } : {}),
    })),
  );
  const file = writeConfig(dir, { apps });
  const m = startMaster(['run', file]);
  try {
    for (const a of apps) await m.waitForEvent({ event: 'app-started', app: `${a.name}` });
    const logs = path.join(m.home, 'logs');
    await waitFor('every app log file open', () => apps.every((a) => existsSync(path.join(logs, `${a.name}-out.log`)) && existsSync(path.join(logs, `${a.name}-error.log`))));
    await sleep(200);
    const fdsBefore = fdCount(m.pid);
    const rssBefore = rssOf(m.pid)!;
    const rss = sampleRss(m.pid);
    let fdsPeak = fdsBefore;
    const sampler = setInterval(() => (fdsPeak = Math.max(fdsPeak, fdCount(m.pid))), 20);
    const workers = workersOf(m.pid);
    for (const w of workers) process.kill(w.pid, 'SIGUSR2');
    try {
      for (const a of apps) await m.waitForEvent({ event: 'worker-output', app: a.name, worker: 0, message: `fd flood done ${messages}` }, { timeoutMs: 90_000 });
    } finally {
      clearInterval(sampler);
    }
    const peak = rss.stop();
    const fdsAfter = fdCount(m.pid);
    assert.ok(fdsPeak <= fdsBefore + 2, `master fds ${fdsBefore} before, peak ${fdsPeak}`);
    assert.equal(fdsAfter, fdsBefore, 'the same fds after');
    assert.ok(peak - rssBefore < 50 * 1024 * 1024, `master RSS ${mb(rssBefore)} -> ${mb(peak)}`);
    assert.deepEqual(workersOf(m.pid).map((w) => w.pid).sort(), workers.map((w) => w.pid).sort(), 'valid bytes on the channel: nobody broken, nobody restarted');
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 5000);
    report({
      id: 'I3b',
      scenario: 'Worker passes fds to the master (SCM_RIGHTS)',
      load: `${apps.length} Node workers (${users.join(' + ')})`,
      faults: `each sends ${messages} messages x 100 fds over its IPC channel or its ready fd (${(apps.length * messages * 100).toLocaleString('en')} fds in all)`,
      lost: 'none',
      result: `master fds ${fdsBefore} before, peak ${fdsPeak}, ${fdsAfter} after (the kernel closes fds the master reads with read(2)); RSS ${mb(rssBefore)} -> peak ${mb(peak)}`,
    });
  } finally {
    await stopMaster(m);
  }
});
