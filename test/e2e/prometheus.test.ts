// A real Prometheus server (Debian package "prometheus") scrapes a real master every second;
// its HTTP API then answers for `up`, a supervisor metric and a worker-defined counter
// summed across the workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { metricsUrl } from '../helpers/metrics.js';
import { freePort } from '../helpers/http.js';
import { spawnInTest } from '../helpers/spawn.js';

// The single value of an instant query, or null while Prometheus has none.
async function query(base: string, promql: string): Promise<number | null> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data?: { result: { value: [number, string] }[] } };
  const result = body.data?.result ?? [];
  return result.length === 1 ? Number(result[0]!.value[1]) : null;
}

test('Prometheus scrapes the supervisor: up, supervisor metrics and summed worker counters', { timeout: 45_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, {
    metrics: { host: '127.0.0.1', port: 0 },
    apps: [{ name: 'jobs', script: fixture('metrics-worker.mjs'), args: [dir], instances: 3, wait_ready: true, kill_timeout: '5s', env: { JOBS: 7, DEFAULT_METRICS: 1 } }],
  });
  const m = startMaster(['run', file]);
  let prom: ChildProcess | null = null;
  const promLog: string[] = [];
  try {
    const target = new URL(await metricsUrl(m)).host;
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const promConfig = path.join(dir, 'prometheus.yml');
    writeFileSync(promConfig, [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: supervisor',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'));
    const listen = `127.0.0.1:${await freePort()}`;
    prom = spawnInTest('prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=${listen}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.on('error', (e) => promLog.push(`spawn failed: ${e.message} (install the Debian package "prometheus")`));
    for (const s of [prom.stdout!, prom.stderr!]) s.on('data', (d: Buffer) => promLog.push(d.toString()));
    const base = `http://${listen}`;
    const why = () => `\n--- prometheus log ---\n${promLog.join('').split('\n').slice(-20).join('\n')}`;

    await waitFor(`Prometheus to be ready${why()}`, async () => (await fetch(`${base}/-/ready`)).ok, 20_000, 200);
    assert.equal(await waitFor(`up == 1${why()}`, () => query(base, 'up{job="supervisor"}'), 20_000, 250), 1);
    assert.equal(await waitFor('supervisor_workers', () => query(base, 'supervisor_workers{app="jobs",state="ready"}'), 10_000, 250), 3);
    assert.equal(await waitFor('the summed worker counter', () => query(base, 'sum(fixture_jobs_processed_total{app="jobs"})'), 10_000, 250), 21, '3 workers x 7 jobs');
    assert.equal(await query(base, 'count(fixture_queue_depth{app="jobs"})'), 3, 'the per-worker gauge is one series per worker');
    assert.ok((await query(base, 'process_resident_memory_bytes{app="jobs"}'))! > 3 * 10e6, "the workers' default metrics, summed");
    assert.ok((await query(base, 'supervisor_process_resident_memory_bytes'))! > 10e6, "the master's own");
  } finally {
    if (prom?.pid !== undefined && prom.exitCode === null && prom.signalCode === null) {
      const exited = new Promise((resolve) => prom!.once('exit', resolve));
      prom.kill('SIGTERM');
      const timer = setTimeout(() => prom!.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await stopMaster(m);
  }
});
