// The metrics endpoint of a real master: the supervisor's metrics and the workers' merged
// metrics over real IPC, a malformed and a silent worker skipped, promtool-clean text,
// OpenMetrics on request, /healthz, reload counters, and `supervisor metrics`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { get, metricsUrl, promtoolCheck, sample } from '../helpers/metrics.js';

test('GET /metrics serves supervisor and merged worker metrics; bad workers are skipped', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const worker = { script: fixture('metrics-worker.mjs'), wait_ready: true, kill_timeout: '5s' };
  const file = writeConfig(dir, {
    metrics: { host: '127.0.0.1', port: 0 },
    apps: [
      { name: 'jobs', instances: 3, env: { JOBS: 5, DEFAULT_METRICS: 1 }, ...worker },
      { name: 'garbage', instances: 1, env: { METRICS_MODE: 'malformed' }, ...worker },
      { name: 'mute', instances: 1, env: { METRICS_MODE: 'silent' }, ...worker },
    ],
  });
  const m = startMaster(['run', file]);
  try {
    const url = await metricsUrl(m);
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    await m.waitForEvent({ event: 'app-started', app: 'mute' });
    await m.waitForEvent({ event: 'app-started', app: 'garbage' });

    const first = await get(`${url}/metrics`);
    assert.equal(first.status, 200);
    assert.match(first.type, /^text\/plain; version=0\.0\.4/);
    const text = first.body;
    assert.equal(sample(text, 'fixture_jobs_processed_total{app="jobs"}'), 15, 'the counter is summed across the 3 workers');
    for (const slot of [0, 1, 2]) assert.equal(sample(text, `fixture_queue_depth{app="jobs",worker="${slot}"}`), slot + 1, 'a worker-labelled gauge stays per worker');
    assert.equal(sample(text, 'fixture_job_duration_seconds_count{app="jobs"}'), 3);
    assert.equal(sample(text, 'supervisor_workers{app="jobs",state="ready"}'), 3);
    assert.equal(sample(text, 'supervisor_worker_scrape_failures_total{app="garbage",reason="malformed"}'), 1);
    assert.equal(sample(text, 'supervisor_worker_scrape_failures_total{app="mute",reason="timeout"}'), 1);
    assert.ok(sample(text, 'supervisor_process_resident_memory_bytes')! > 1e6, "the master's own process metrics");
    assert.equal(sample(text, 'fixture_jobs_processed_total{app="garbage"}'), undefined, 'the malformed worker contributes nothing');

    assert.ok(sample(text, 'process_resident_memory_bytes{app="jobs"}')! > 3 * 10e6, "the workers' default metrics, summed");
    const lint = promtoolCheck(text);
    assert.deepEqual(lint, { status: 0, output: '' }, 'promtool check metrics passes with no warnings');

    const second = await get(`${url}/metrics`);
    assert.equal(sample(second.body, 'supervisor_worker_scrape_failures_total{app="garbage",reason="malformed"}'), 2);
    // Plain log lines: once per worker is what is checked, and the wording says which worker.
    assert.equal(m.countEvents({ event: 'log', message: /^garbage#0 .*malformed metrics skipped/ }), 1, 'one log line for a malformed worker, not one per scrape');
    assert.equal(m.countEvents({ event: 'log', message: /^mute#0 .*did not answer a metrics request/ }), 1);

    const om = await get(`${url}/metrics`, { accept: 'application/openmetrics-text; version=1.0.0' });
    assert.match(om.type, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(om.body, /^# TYPE fixture_jobs_processed counter$/m);
    assert.ok(om.body.endsWith('# EOF\n'));

    await waitFor('a resource sample', async () => {
      const body = (await get(`${url}/metrics`)).body;
      return (sample(body, 'supervisor_worker_resident_memory_bytes{app="jobs",worker="0"}') ?? 0) > 1e6 && (sample(body, 'supervisor_worker_cpu_seconds_total{app="jobs",worker="0"}') ?? 0) > 0;
    }, 8_000, 250);

    const health = await get(`${url}/healthz`);
    assert.deepEqual([health.status, health.body], [200, 'ok\n']);
    assert.equal((await get(`${url}/nope`)).status, 404);

    const mark = m.mark();
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-done', app: 'jobs', generation: 2 }, { after: mark });
    const after = await waitFor('the reload counted', async () => {
      const body = (await get(`${url}/metrics`)).body;
      return sample(body, 'supervisor_reloads_total{app="jobs",result="ok"}') === 1 ? body : null;
    });
    assert.equal(sample(after, 'supervisor_worker_restarts_total{app="jobs",reason="reload"}'), 3);
    assert.equal(sample(after, 'supervisor_reload_duration_seconds_count{app="jobs",result="ok"}'), 1);

    const cli = spawnSync(process.execPath, [CLI, 'metrics'], { env: { ...process.env, SUPERVISOR_HOME: m.home }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(sample(cli.stdout, 'supervisor_reloads_total{app="jobs",result="ok"}'), 1);
    assert.match(cli.stdout, /^fixture_jobs_processed_total\{app="jobs"\} \d+$/m);
    assert.equal(promtoolCheck(cli.stdout).status, 0);
  } finally {
    await stopMaster(m);
  }
});

test('supervisor metrics without a master exits 3 with one clear line', () => {
  const home = tempDir('gs-home-');
  const r = spawnSync(process.execPath, [CLI, 'metrics'], { env: { ...process.env, SUPERVISOR_HOME: home }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /^supervisor: no master is running/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
