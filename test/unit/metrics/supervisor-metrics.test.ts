// The supervisor's own metrics, fed only by a real Master's notices (fake clock and
// processes): worker states, restarts by reason, reloads by result, config load results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Master } from '../../../src/master/master.js';
import { SupervisorMetrics } from '../../../src/metrics/supervisor-metrics.js';
import { FakeWorld, settle, track } from '../../helpers/fake-world.js';
import { tempDir, writeConfig } from '../../helpers/config.js';

async function value(m: SupervisorMetrics, name: string, labels: Record<string, string> = {}, metricName = name): Promise<number | undefined> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = metric?.values.find((x) => ((x as { metricName?: string }).metricName ?? name) === metricName && Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l));
  return v?.value;
}

async function setup() {
  const world = new FakeWorld();
  const master = new Master(world);
  track(master);
  const metrics = new SupervisorMetrics({ defaultMetrics: false });
  master.observe((n) => metrics.observe(n));
  const dir = tempDir();
  writeFileSync(`${dir}/w.js`, ''); // the loader checks that the script exists
  // reload_surge 3: a reload starts all three new workers at once, whatever the machine's default.
  const file = writeConfig(dir, { apps: [{ name: 'web', script: 'w.js', instances: 3, reload_surge: 3, wait_ready: true, kill_timeout: 3000, listen_timeout: 5000 }] });
  const p = master.start(file);
  await settle();
  for (const proc of world.live()) proc.ready();
  assert.equal((await p).ok, true);
  return { world, master, metrics, file };
}

test('worker states and a crash restart are counted from notices', async () => {
  const { world, metrics } = await setup();
  assert.equal(await value(metrics, 'supervisor_workers', { app: 'web', state: 'ready' }), 3);
  assert.equal(await value(metrics, 'supervisor_workers', { app: 'web', state: 'starting' }), 0);
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'crash' }), 0, 'zero series exist from the start');
  world.live()[0]!.exit(1);
  await settle();
  assert.equal(await value(metrics, 'supervisor_workers', { app: 'web', state: 'ready' }), 2);
  assert.equal(await value(metrics, 'supervisor_workers', { app: 'web', state: 'backoff' }), 1);
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'crash' }), 1);
  await world.advance(200);
  for (const p of world.live()) p.ready();
  await settle();
  assert.equal(await value(metrics, 'supervisor_workers', { app: 'web', state: 'ready' }), 3);
  assert.equal(await value(metrics, 'supervisor_workers', { app: 'web', state: 'backoff' }), 0);
});

test('a rolling reload counts one reload and a restart per replaced worker; an abort counts as aborted', async () => {
  const { world, master, metrics } = await setup();
  const reload = master.reload();
  await settle();
  for (const p of world.live(2)) p.ready();
  await settle();
  for (const p of world.live(1)) p.exit(0);
  world.time += 1500;
  assert.equal((await reload).ok, true);
  assert.equal(await value(metrics, 'supervisor_reloads_total', { app: 'web', result: 'ok' }), 1);
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'reload' }), 3);
  assert.equal(await value(metrics, 'supervisor_reload_duration_seconds', { app: 'web', result: 'ok' }, 'supervisor_reload_duration_seconds_count'), 1);

  const bad = master.reload();
  await settle();
  world.live(3)[0]!.exit(1);
  assert.equal((await bad).ok, false);
  await settle();
  assert.equal(await value(metrics, 'supervisor_reloads_total', { app: 'web', result: 'aborted' }), 1);
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'reload' }), 3, 'an aborted reload replaced nobody');
});

test('a memory replacement and an all-at-once restart count under their own reasons', async () => {
  const { world, master, metrics } = await setup();
  assert.equal((await master.replaceWorker('web', 1, 'memory')).ok, true);
  await settle();
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'memory' }), 1);
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'reload' }), 0);
  for (const p of world.live()) p.ready();
  await settle();
  const restart = master.restart();
  await settle();
  for (const p of world.live(1)) p.exit(0);
  await settle();
  for (const p of world.live(2)) p.ready();
  await restart;
  assert.equal(await value(metrics, 'supervisor_worker_restarts_total', { app: 'web', reason: 'manual' }), 3);
});

test('the config gauges follow each load: 1 with a timestamp, then 0 after a rejected file', async () => {
  const { master, metrics, file } = await setup();
  assert.equal(await value(metrics, 'supervisor_config_last_reload_successful', { file }), 1);
  assert.ok((await value(metrics, 'supervisor_config_last_reload_success_timestamp_seconds', { file }))! > 1e9);
  writeFileSync(file, '{ "apps": [ { "name": 3 } ] }');
  assert.equal((await master.reload()).ok, false);
  assert.equal(await value(metrics, 'supervisor_config_last_reload_successful', { file }), 0);
});

test('CPU seconds of a slot never go down when its worker is replaced', async () => {
  const { world, metrics } = await setup();
  const entry = metrics.book.alive().find((e) => e.slot === 0)!;
  entry.cpuSeconds = 2.5;
  world.live().find((p) => p.req.slot === 0)!.exit(1);
  await settle();
  await world.advance(200);
  const fresh = metrics.book.alive().find((e) => e.slot === 0)!;
  fresh.cpuSeconds = 0.5;
  assert.equal(await value(metrics, 'supervisor_worker_cpu_seconds_total', { app: 'web', worker: '0' }), 3);
});
