// The control plane with a fake clock, fake processes and a config loader the test answers
// by hand: requests wait for the first load, reads never block the loop, a file counts as
// loaded only once applied, and notices carry the id of the request that caused them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Master } from '../../../src/master/master.js';
import type { MasterNotice } from '../../../src/master/notices.js';
import type { MasterEffects, WorkerCallbacks } from '../../../src/master/effects.js';
import { formatNotice } from '../../../src/master/log-lines.js';
import type { Binder, ConfigLoader } from '../../../src/master/loads.js';
import type { LoadResult } from '../../../src/config/load-isolated.js';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import type { Config } from '../../../src/config/types.js';
import { FakeWorld, settle, track } from '../../helpers/fake-world.js';
import { tempDir, writeConfig } from '../../helpers/config.js';

// A loader whose reads stay pending until the test answers them.
function manualLoader() {
  const reads: { file: string; answer: (r: LoadResult) => void }[] = [];
  const loader: ConfigLoader = (file) => new Promise((resolve) => reads.push({ file, answer: resolve }));
  return { loader, reads };
}

function setup(opts: { loader?: ConfigLoader; binder?: Binder } = {}) {
  const world = new FakeWorld();
  const master = new Master(world, opts);
  track(master);
  const notices: MasterNotice[] = [];
  master.observe((n) => notices.push(n));
  const dir = tempDir();
  writeFileSync(path.join(dir, 'w.js'), '');
  const write = (apps: Record<string, unknown>[], name = 'ecosystem.json') => writeConfig(dir, { apps: apps.map((a) => ({ script: 'w.js', wait_ready: true, ...a })) }, name);
  return { world, master, notices, write };
}

// Lets the loop run a few turns without waiting for reads the test still holds (settle() would).
const turns = async (n = 4) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const ok = async (file: string): Promise<LoadResult> => ({ ok: true, config: (await loadConfig(file)) as Config });

test('a reload asked for before the first start waits for it and merges into its read', async () => {
  const { world, master, write, notices } = setup();
  const file = write([{ name: 'web', instances: 2 }]);
  const reload = master.reload({ reason: 'SIGHUP' });
  await settle();
  assert.equal(notices.length, 0, 'nothing happens before the first start');
  const start = master.start(file);
  await settle();
  for (const p of world.live()) p.ready();
  assert.equal((await start).ok, true);
  const r = await reload;
  assert.equal(r.ok, true, r.ok ? '' : r.message);
  assert.equal(notices.filter((n) => n.type === 'config-loaded').length, 1, 'one read for both');
  assert.equal(notices.filter((n) => n.type === 'load-merged').length, 1);
});

test('while a read is under way the loop answers; the result comes back as an event', async () => {
  const { loader, reads } = manualLoader();
  const { world, master, write } = setup({ loader });
  const file = write([{ name: 'web', instances: 1 }]);
  const start = master.start(file);
  await turns();
  assert.equal(reads.length, 1);
  const during = await master.status();
  assert.deepEqual(during.apps, [], 'status answers while the file is read');
  assert.deepEqual(during.configs, [], 'a file being read for the first time is not registered');
  reads[0]!.answer(await ok(file));
  await settle();
  for (const p of world.live()) p.ready();
  assert.equal((await start).ok, true);
  const reload = master.reload();
  await turns();
  assert.equal(reads.length, 2);
  assert.equal((await master.status()).apps[0]!.state, 'loading');
  reads[1]!.answer({ ok: false, error: new ConfigError(file, [{ path: '', message: 'the config did not finish loading within 10000 ms (the deadline)' }]) });
  const r = await reload;
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'E_CONFIG');
  const after = await master.status();
  assert.equal(after.apps[0]!.state, 'running');
  assert.deepEqual(after.configs.map((c) => [c.ok, c.error]), [[false, `${file}: the config did not finish loading within 10000 ms (the deadline)`]]);
});

test('a bind that fails is not "loaded": configs[].ok false, nothing applied, E_BIND', async () => {
  let fail = false;
  const binder: Binder = { prepare: async () => { if (fail) throw new Error('cannot bind tcp://127.0.0.1:1: EADDRINUSE (the address is already in use)'); }, release: () => undefined };
  const { world, master, write, notices } = setup({ binder });
  const file = write([{ name: 'web', instances: 1 }]);
  const start = master.start(file);
  await settle();
  for (const p of world.live()) p.ready();
  assert.equal((await start).ok, true);
  fail = true;
  write([{ name: 'web', instances: 1, env: { X: '1' } }]);
  const r = await master.reload();
  assert.equal(!r.ok && r.code, 'E_BIND');
  const s = await master.status();
  assert.equal(s.configs[0]!.ok, false);
  assert.match(s.configs[0]!.error ?? '', /EADDRINUSE/);
  assert.equal(s.apps[0]!.generation, 1);
  assert.deepEqual(notices.filter((n) => n.type === 'config-failed').map((n) => n.type === 'config-failed' && [n.code, n.registered]), [['E_BIND', true]]);
});

test('a start rejected for a name clash is not registered, and later reloads are not affected', async () => {
  const { world, master, write } = setup();
  const first = write([{ name: 'api', instances: 1 }]);
  const second = write([{ name: 'api', instances: 1 }], 'second.json');
  const start = master.start(first);
  await settle();
  for (const p of world.live()) p.ready();
  assert.equal((await start).ok, true);
  const clash = await master.start(second);
  assert.equal(!clash.ok && clash.code, 'E_CONFIG');
  assert.match(clash.message, /app "api" is already defined by .*ecosystem\.json/);
  assert.deepEqual((await master.status()).configs.map((c) => c.file), [first]);
  const reload = master.reload();
  await settle();
  for (const p of world.live(2)) p.ready();
  await settle();
  for (const p of world.live(1)) p.exit(0);
  const r = await reload;
  assert.equal(r.ok, true, r.message);
});

test('notices carry the id of the request that caused them; a merged request follows its lead', async () => {
  const { world, master, write, notices } = setup();
  const file = write([{ name: 'a', instances: 1 }, { name: 'b', instances: 1 }]);
  const start = master.start(file, { request: 100 });
  await settle();
  for (const p of world.live()) p.ready();
  await start;
  assert.ok(notices.filter((n) => n.type === 'reload-started' || n.type === 'worker-spawned' || n.type === 'config-loaded').every((n) => 'request' in n && n.request === 100));
  notices.length = 0;
  const stopA = master.stop('a', { request: 200 });
  const reloadB = master.reload({ app: 'b', request: 300 });
  await settle();
  for (const p of world.live(2)) p.ready();
  await settle();
  for (const p of world.live()) if (p.req.generation === 1) p.exit(0);
  await Promise.all([stopA, reloadB]);
  const of = (id: number) => notices.filter((n) => 'request' in n && n.request === id).map((n) => ('app' in n ? n.app : 'worker' in n ? n.worker.app : 'file'));
  assert.ok(of(200).length > 0 && of(200).every((app) => app === 'a'), `stop a: ${of(200).join(',')}`);
  assert.ok(of(300).length > 0 && of(300).every((app) => app === 'b' || app === 'file'), `reload b: ${of(300).join(',')}`);
});

test('a broken worker channel is logged at error level; its exit goes through the crash policy', async () => {
  const world = new FakeWorld();
  const callbacks: WorkerCallbacks[] = [];
  const effects: MasterEffects = {
    now: () => world.now(),
    setTimer: (ms, fire) => world.setTimer(ms, fire),
    spawn: (req, cb) => (callbacks.push(cb), world.spawn(req, cb)),
  };
  const master = new Master(effects);
  track(master);
  const notices: MasterNotice[] = [];
  master.observe((n) => notices.push(n));
  const dir = tempDir();
  writeFileSync(path.join(dir, 'w.js'), '');
  const file = writeConfig(dir, { apps: [{ name: 'web', script: 'w.js', wait_ready: true, instances: 1 }] });
  const start = master.start(file);
  await settle();
  world.live()[0]!.ready();
  await start;
  callbacks[0]!.broken!('an IPC message was not valid JSON');
  await settle();
  const broken = notices.find((n) => n.type === 'worker-broken');
  assert.ok(broken && broken.type === 'worker-broken');
  assert.deepEqual([broken.worker.app, broken.worker.slot, broken.reason], ['web', 0, 'an IPC message was not valid JSON']);
  assert.equal(formatNotice(broken, true)?.fields.level, 'error');
  world.live()[0]!.exit(null, 'SIGKILL'); // the handle killed it
  await settle();
  assert.ok(notices.some((n) => n.type === 'worker-exit' && n.outcome === 'crash'));
  assert.ok(notices.some((n) => n.type === 'worker-restart-scheduled' && n.reason === 'crash'));
});

test('a reload of an app its file no longer has is E_UNKNOWN_APP, and the app does not stay "loading"', async () => {
  const { world, master, write } = setup();
  const file = write([{ name: 'web', instances: 1 }, { name: 'jobs', instances: 1 }]);
  const start = master.start(file);
  await settle();
  for (const p of world.live()) p.ready();
  assert.equal((await start).ok, true);
  write([{ name: 'jobs', instances: 1 }]);
  const r = await master.reload({ app: 'web' });
  assert.equal(!r.ok && r.code, 'E_UNKNOWN_APP');
  assert.match(r.message, /app "web" is not in .*ecosystem\.json/);
  await settle();
  assert.deepEqual((await master.status()).apps.map((a) => [a.name, a.state]), [['web', 'running'], ['jobs', 'running']]);
});

test('reloads asked for during a rollout wait for it, then share one read and one follow-up rollout', async () => {
  const { loader, reads } = manualLoader();
  const { world, master, write, notices } = setup({ loader });
  const file = write([{ name: 'web', instances: 2, reload_surge: 2 }]);
  const start = master.start(file);
  await turns();
  reads[0]!.answer(await ok(file));
  await settle();
  for (const p of world.live()) p.ready();
  assert.equal((await start).ok, true);
  const first = master.reload({ reason: 'first' });
  await turns();
  reads[1]!.answer(await ok(file));
  await turns();
  assert.equal((await master.status()).apps[0]!.state, 'rolling', 'the first reload rolls');
  const second = master.reload({ reason: 'second' });
  const third = master.reload({ reason: 'third' });
  await turns(8);
  assert.equal(reads.length, 2, 'no read starts while the app rolls');
  for (const p of world.live(2)) p.ready(); // the new generation is ready; the old one is told to exit
  await turns(8);
  for (const p of world.live(1)) p.exit(0);
  await turns(8);
  assert.equal((await first).ok, true);
  assert.equal(reads.length, 3, 'one read for both waiting reloads, once the rollout ended');
  reads[2]!.answer(await ok(file));
  await turns(8);
  for (const p of world.live(3)) p.ready();
  await turns(8);
  for (const p of world.live(2)) p.exit(0);
  const [r2, r3] = await Promise.all([second, third]);
  assert.ok(r2.ok && r3.ok, 'both waiting reloads are answered by the follow-up');
  assert.equal(notices.filter((n) => n.type === 'reload-started').length, 3, 'start, the first reload, one follow-up');
});
