// The master's logic with a fake clock and fake processes: rolling order, aborts, merging,
// backoff and fatal, scaling, stopping.
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Master } from '../../../src/master/master.js';
import { defaultSurge } from '../../../src/master/cpu-budget.js';
import type { MasterNotice } from '../../../src/master/notices.js';
import { FakeWorld, settle, track } from '../../helpers/fake-world.js';
import { tempDir, writeConfig } from '../../helpers/config.js';

function setup(app: Record<string, unknown> = {}, extraApps: Record<string, unknown>[] = []) {
  const world = new FakeWorld();
  const master = new Master(world);
  track(master);
  const notices: MasterNotice[] = [];
  master.observe((n) => notices.push(n));
  const dir = tempDir();
  writeFileSync(path.join(dir, 'w.js'), ''); // the loader checks that an interpreted script exists
  const write = (a: Record<string, unknown>, more = extraApps) =>
    writeConfig(dir, { apps: [{ name: 'web', script: 'w.js', instances: 3, wait_ready: true, kill_timeout: 3000, listen_timeout: 5000, ...a }, ...more] });
  const file = write(app);
  return { world, master, notices, file, write };
}

async function started(world: FakeWorld, master: Master, file: string) {
  const p = master.start(file);
  await settle();
  for (const proc of world.live()) proc.ready();
  const r = await p;
  assert.equal(r.ok, true, r.message);
}

test('start spawns instances workers and reports once all are ready', async () => {
  const { world, master, file } = setup();
  let done = false;
  const p = master.start(file).then((r) => ((done = true), r));
  await settle();
  assert.equal(world.live().length, 3);
  world.live()[0]!.ready();
  await settle();
  assert.equal(done, false, 'not done while two are still starting');
  for (const proc of world.live()) proc.ready();
  assert.equal((await p).ok, true);
  const slots = world.live().map((w) => w.req.slot).sort();
  assert.deepEqual(slots, [0, 1, 2]);
});

test('rolling reload: new workers first, an old one retires only when its replacement is ready', async () => {
  const { world, master, file } = setup({ reload_surge: 3 });
  await started(world, master, file);
  const reload = master.reload();
  await settle();
  const fresh = world.live(2);
  assert.equal(fresh.length, 3, 'reload_surge 3: the whole new generation starts at once');
  assert.ok(world.live(1).every((p) => p.sent.length === 0), 'no old worker is told anything before a replacement is ready');
  fresh.find((p) => p.req.slot === 1)!.ready();
  await settle();
  const old = world.live(1);
  assert.deepEqual(old.filter((p) => p.sent.length > 0).map((p) => p.req.slot), [1]);
  assert.deepEqual(old.find((p) => p.req.slot === 1)!.sent, [{ type: 'supervisor:shutdown', v: 1 }]);
  for (const p of fresh) p.ready();
  await settle();
  for (const p of world.live(1)) p.exit(0);
  const r = await reload;
  assert.equal(r.ok, true, r.message);
  assert.equal(world.live().length, 3);
  assert.ok(world.live().every((p) => p.req.generation === 2));
});

test('an old worker that overstays kill_timeout gets SIGKILL', async () => {
  const { world, master, file, notices } = setup({ instances: 1 });
  await started(world, master, file);
  void master.reload();
  await settle();
  world.live(2)[0]!.ready();
  await settle();
  const old = world.live(1)[0]!;
  await world.advance(2999);
  assert.deepEqual(old.signals, []);
  await world.advance(1);
  assert.deepEqual(old.signals, ['SIGKILL']);
  assert.ok(notices.some((n) => n.type === 'worker-killed'));
});

test('without reload_surge, a reload starts as many new workers at once as the machine\'s default surge', async () => {
  const { world, master, file } = setup({ instances: 8 });
  await started(world, master, file);
  const reload = master.reload();
  await settle();
  assert.equal(world.live(2).length, Math.min(8, defaultSurge()), 'about half the usable CPUs, at least 1');
  // Then it rolls on: each ready new worker retires one old one and lets the next one start.
  const readied = new Set<unknown>();
  for (let round = 0; round < 8 && world.live(1).length > 0; round++) {
    for (const p of world.live(2)) if (!readied.has(p)) (readied.add(p), p.ready());
    await settle();
    for (const p of world.live(1)) if (p.sent.length > 0) p.exit(0);
    await settle();
  }
  assert.equal(world.live(2).length, 8);
  assert.equal((await reload).ok, true);
});

test('reload_surge 1 rolls one worker at a time', async () => {
  const { world, master, file } = setup({ reload_surge: 1 });
  await started(world, master, file);
  void master.reload();
  await settle();
  assert.equal(world.live(2).length, 1);
  world.live(2)[0]!.ready();
  await settle();
  assert.equal(world.live(2).length, 2, 'the next new worker starts once the first is ready');
});

test('a new worker that crashes aborts the reload; old workers not told to exit keep serving', async () => {
  const { world, master, file, notices } = setup();
  await started(world, master, file);
  const oldPids = world.live(1).map((p) => p.pid);
  const reload = master.reload();
  await settle();
  world.live(2)[0]!.exit(1);
  const r = await reload;
  assert.equal(r.ok, false);
  assert.match(r.message, /aborted/);
  await settle();
  assert.ok(notices.some((n) => n.type === 'reload-aborted'));
  assert.ok(world.live(1).every((p) => p.sent.length === 0 && p.signals.length === 0));
  assert.deepEqual(world.live(1).map((p) => p.pid), oldPids);
  assert.ok(world.live(2).every((p) => p.sent.length > 0 || p.signals.length > 0), 'the new ones were asked to stop');
  const status = await master.status();
  assert.equal(status.apps[0]!.generation, 1);
});

test('a new worker that misses listen_timeout aborts the reload', async () => {
  const { world, master, file } = setup();
  await started(world, master, file);
  const reload = master.reload();
  await settle();
  await world.advance(5000);
  const r = await reload;
  assert.equal(r.ok, false);
  assert.match(r.message, /not ready within 5000 ms/);
  assert.equal(world.live(1).length, 3);
});

test('reloads asked for at once share one read; reloads during a reload merge into one follow-up', async () => {
  const { world, master, file, notices } = setup({ instances: 1 });
  await started(world, master, file);
  const together = [master.reload(), master.reload()];
  await settle();
  assert.equal(notices.filter((n) => n.type === 'config-loaded').length, 2, 'the two reloads asked for together read the file once');
  assert.equal(notices.filter((n) => n.type === 'load-merged').length, 1);
  const first = Promise.all(together).then((rs) => ({ ok: rs.every((r) => r.ok) }));
  const more = [master.reload(), master.reload(), master.reload()];
  await settle();
  assert.equal(notices.filter((n) => n.type === 'config-loaded').length, 2, 'the three during the reload wait for it');
  assert.equal(notices.filter((n) => n.type === 'load-merged').length, 3, 'and merge into one read');
  const finishGen = async (gen: number) => {
    for (const p of world.live(gen)) p.ready();
    await settle();
    for (const p of world.live(gen - 1)) p.exit(0);
    await settle();
  };
  await finishGen(2);
  assert.equal((await first).ok, true);
  assert.equal(notices.filter((n) => n.type === 'config-loaded').length, 3, 'once the reload is done, the file is read once more');
  await finishGen(3);
  const results = await Promise.all(more);
  assert.ok(results.every((r) => r.ok));
  assert.equal(notices.filter((n) => n.type === 'reload-started' && n.from !== 0).length, 2);
  assert.deepEqual(world.live().map((p) => p.req.generation), [3]);
});

test('a crash loop at start backs off 100, 200, 400 ms and fails the start after start_retries', async () => {
  const { world, master, file, notices } = setup({ instances: 1, start_retries: 3, max_restarts: 100 });
  const start = master.start(file);
  await settle();
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    world.live()[0]!.exit(1);
    await settle();
    const sched = notices.filter((n) => n.type === 'worker-restart-scheduled');
    if (sched.length > delays.length) {
      const last = sched.at(-1)!;
      if (last.type === 'worker-restart-scheduled') delays.push(last.delayMs);
      await world.advance(last.type === 'worker-restart-scheduled' ? last.delayMs : 0);
    }
  }
  assert.deepEqual(delays, [100, 200, 400]);
  const r = await start;
  assert.equal(r.ok, false);
  assert.match(r.message, /^app web did not start: worker 0 failed 4 times while the app was starting \(start_retries 3\); the last one exited with code 1 after 0 ms\nIt printed nothing on stderr\.$/);
  const status = await master.status();
  assert.equal(status.apps[0]!.status, 'fatal');
  assert.equal(world.live().length, 0);
});

test('once the app was ready, a crash loop counts against max_restarts, not start_retries', async () => {
  const { world, master, file, notices } = setup({ instances: 1, start_retries: 1, max_restarts: 3, min_uptime: 1000 });
  await started(world, master, file);
  for (let i = 0; i < 4; i++) {
    world.live()[0]!.exit(1);
    await settle();
    const last = notices.filter((n) => n.type === 'worker-restart-scheduled').at(-1);
    await world.advance(last?.type === 'worker-restart-scheduled' ? last.delayMs : 0); // restarted, not yet up min_uptime
  }
  const fatal = notices.find((n) => n.type === 'app-fatal');
  assert.ok(fatal?.type === 'app-fatal' && /crashed 4 times in a row before staying up \(max_restarts 3\)/.test(fatal.reason), JSON.stringify(fatal));
  assert.equal(notices.filter((n) => n.type === 'worker-restart-scheduled').length, 3);
});

test('a worker that is never ready fails the start after start_retries, even though it stays up min_uptime', async () => {
  // Before start_retries, each attempt outlived min_uptime, which reset its streak: the start never ended.
  const { world, master, file, notices } = setup({ instances: 1, start_retries: 2, min_uptime: 1000, listen_timeout: 3000 });
  let answer: { ok: boolean; message: string } | null = null;
  void master.start(file).then((r) => (answer = r));
  for (let i = 0; i < 10 && answer === null; i++) {
    await world.advance(3000); // listen_timeout: the master asks the worker to finish
    for (const p of world.live().filter((x) => x.signals.length > 0)) p.exit(0); // the one asked to finish
    await settle();
    const last = notices.filter((n) => n.type === 'worker-restart-scheduled').at(-1);
    if (answer === null && last?.type === 'worker-restart-scheduled') await world.advance(last.delayMs);
  }
  assert.ok(answer !== null, 'the start ended');
  const r = answer as { ok: boolean; message: string };
  assert.equal(r.ok, false);
  assert.match(r.message, /worker 0 failed 3 times while the app was starting \(start_retries 2\); the last one was not ready within 3000 ms \(listen_timeout\)/);
  assert.equal(notices.filter((n) => n.type === 'worker-ready-timeout').length, 3);
});

test('autorestart false: a crash is not followed by a spawn; the start fails at the first crash', async () => {
  // Before, the reconciler refilled the slot at once: a spawn loop with no backoff and no end.
  const { world, master, file, notices } = setup({ instances: 1, autorestart: false });
  const start = master.start(file);
  await settle();
  world.live()[0]!.exit(3);
  await world.advance(60_000);
  const r = await start;
  assert.equal(r.ok, false);
  assert.match(r.message, /^app web did not start: worker 0 crashed while the app was starting, and autorestart is false; it exited with code 3/);
  assert.equal(notices.filter((n) => n.type === 'worker-spawned').length, 1);
});

test('once running, a worker that is done (autorestart false, or a stop_exit_codes exit) leaves its slot down until a reload', async () => {
  // Before, the reconciler refilled such a slot at once, with no backoff: a spawn loop.
  for (const app of [{ autorestart: false, exitCode: 3 }, { autorestart: false, exitCode: 0 }, { autorestart: true, stop_exit_codes: [7], exitCode: 7 }]) {
    const { exitCode, ...keys } = app;
    const { world, master, file, notices } = setup({ instances: 2, reload_surge: 2, ...keys });
    await started(world, master, file);
    const down = world.live(1).find((p) => p.req.slot === 1)!;
    down.exit(exitCode);
    await world.advance(60_000);
    assert.equal(notices.filter((n) => n.type === 'worker-spawned').length, 2, `${JSON.stringify(app)}: no spawn after the exit`);
    const status = await master.status();
    assert.equal(status.apps[0]!.state, 'running', 'the app keeps running');
    assert.deepEqual(status.apps[0]!.workers.map((w) => [w.id, w.state]), [[0, 'ready'], [1, 'done']]);
    const reload = master.reload();
    await settle();
    assert.deepEqual(world.live(2).map((p) => p.req.slot).sort(), [0, 1], 'a reload fills both slots again');
    for (const p of world.live(2)) p.ready();
    await settle();
    for (const p of world.live(1)) p.exit(0);
    const r = await reload;
    assert.equal(r.ok, true, r.message);
    assert.deepEqual((await master.status()).apps[0]!.workers.map((w) => [w.id, w.state, w.generation]), [[0, 'ready', 2], [1, 'ready', 2]]);
    const stop = master.stop('web');
    await settle();
    for (const p of world.live()) p.exit(0);
    assert.equal((await stop).ok, true);
  }
});

test('a worker that stayed up min_uptime resets its crash streak', async () => {
  const { world, master, file, notices } = setup({ instances: 1, max_restarts: 1, min_uptime: 1000 });
  await started(world, master, file);
  for (let i = 0; i < 3; i++) {
    await world.advance(1000);
    world.live()[0]!.exit(1);
    await settle();
    await world.advance(100);
    world.live()[0]!.ready();
  }
  assert.equal(notices.filter((n) => n.type === 'app-fatal').length, 0);
  const delays = notices.flatMap((n) => (n.type === 'worker-restart-scheduled' ? [n.delayMs] : []));
  assert.deepEqual(delays, [100, 100, 100]);
});

test('scale adds and retires workers without touching the others, and settles once the count matches', async () => {
  const { world, master, file } = setup();
  await started(world, master, file);
  const before = world.live().map((p) => p.pid);
  let upDone = false;
  const up = master.scale('web', 5).then((r) => ((upDone = true), r));
  await settle();
  assert.equal(world.live().length, 5);
  assert.ok(before.every((pid) => world.live().some((p) => p.pid === pid && p.sent.length === 0)));
  assert.equal(upDone, false, 'not before the new workers are ready');
  for (const p of world.live().filter((x) => !before.includes(x.pid))) p.ready();
  assert.equal((await up).ok, true);
  let downDone = false;
  const down = master.scale('web', 2).then((r) => ((downDone = true), r));
  await settle();
  const retiring = world.live().filter((p) => p.sent.length > 0);
  assert.deepEqual(retiring.map((p) => p.req.slot).sort(), [2, 3, 4]);
  assert.equal(downDone, false, 'not before the retired workers exited');
  for (const p of retiring) p.exit(0);
  assert.equal((await down).ok, true);
  assert.equal((await master.status()).apps[0]!.state, 'running');
});

test('stop drains every worker and settles once they exited', async () => {
  const { world, master, file } = setup();
  await started(world, master, file);
  let stopped = false;
  const stop = master.stop(null).then(() => (stopped = true));
  await settle();
  assert.ok(world.live().every((p) => p.sent.length === 1));
  assert.equal(stopped, false);
  for (const p of world.live()) p.exit(0);
  await stop;
  await master.whenStopped();
});

test('a worker without the SDK gets stop_signal instead of the IPC message', async () => {
  const { world, master, file } = setup({ instances: 1, script: 'run.sh', stop_signal: 'SIGINT' });
  const p = master.start(file);
  await settle();
  world.live()[0]!.exit(0);
  await settle();
  void p;
  const { world: w2, master: m2, file: f2 } = setup({ instances: 1, script: 'worker.sh', stop_signal: 'SIGINT', wait_ready: false, min_uptime: 10 });
  const s2 = m2.start(f2);
  await w2.advance(10);
  assert.equal((await s2).ok, true);
  void m2.stop(null);
  await settle();
  assert.deepEqual(w2.live()[0]!.signals, ['SIGINT']);
  assert.deepEqual(w2.live()[0]!.sent, []);
  void world;
});
