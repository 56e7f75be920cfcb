// One scrape with fake workers: answers are merged (counters summed, `worker`-labelled
// series kept apart, apps kept apart), a silent worker and a malformed answer are skipped,
// counted and logged once, and OpenMetrics is rendered when asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MetricsCollector } from '../../../src/metrics/collector.js';
import type { ScrapeTarget } from '../../../src/metrics/worker-scrape.js';
import type { MetricsRequestMessage } from '../../../src/protocol/ipc.js';

const counter = (n: number) => ({ name: 'jobs_total', help: 'Jobs.', type: 'counter', aggregator: 'sum', values: [{ value: n, labels: {} }] });
const perWorker = (slot: number) => ({ name: 'depth', help: 'Depth.', type: 'gauge', aggregator: 'sum', values: [{ value: slot * 10, labels: { worker: String(slot) } }] });

function world(answers: Record<number, unknown>, timeoutMs = 200) {
  const targets: ScrapeTarget[] = Object.keys(answers).map((pid, i) => ({ app: Number(pid) >= 900 ? 'other' : 'web', slot: i, pid: Number(pid), key: `k${pid}`, ipc: true, sdk: true }));
  const logs: string[] = [];
  let collector!: MetricsCollector;
  const hooks = {
    liveWorkers: () => targets,
    sendToWorker(key: string, msg: MetricsRequestMessage) {
      const t = targets.find((x) => x.key === key)!;
      const metrics = answers[t.pid];
      // A fresh copy per answer, as IPC delivers.
      if (metrics !== 'silent') setImmediate(() => collector.observe({ type: 'worker-metrics', worker: { app: t.app, slot: t.slot, generation: 1, pid: t.pid }, id: msg.id, metrics: structuredClone(metrics), error: null }));
      return true;
    },
  };
  collector = new MetricsCollector(hooks, (_level, message) => logs.push(message), { timeoutMs, defaultMetrics: false });
  return { collector, logs };
}

test('answers are merged: counters summed per app, worker-labelled series kept per worker', async () => {
  const { collector } = world({ 1: [counter(2), perWorker(0)], 2: [counter(3), perWorker(1)], 901: [counter(7)] });
  const text = await collector.text('text');
  assert.match(text, /^jobs_total\{app="web"\} 5$/m);
  assert.match(text, /^jobs_total\{app="other"\} 7$/m);
  assert.match(text, /^depth\{app="web",worker="0"\} 0$/m);
  assert.match(text, /^depth\{app="web",worker="1"\} 10$/m);
});

test('a silent worker and a malformed answer are skipped, counted and logged once; the scrape still answers', async () => {
  const { collector, logs } = world({ 1: [counter(2)], 2: 'silent', 3: [{ name: 'bad name', type: 'counter', values: [] }], 4: { not: 'a list' } });
  for (let i = 0; i < 2; i++) {
    const text = await collector.text('text');
    assert.match(text, /^jobs_total\{app="web"\} 2$/m);
  }
  const text = await collector.text('text');
  assert.match(text, /^supervisor_worker_scrape_failures_total\{app="web",reason="timeout"\} 3$/m);
  assert.match(text, /^supervisor_worker_scrape_failures_total\{app="web",reason="malformed"\} 6$/m);
  assert.equal(logs.filter((l) => /did not answer/.test(l)).length, 1, logs.join('\n'));
  assert.equal(logs.filter((l) => /malformed metrics skipped/.test(l)).length, 2, logs.join('\n'));
  assert.ok(logs.some((l) => /pid 3: malformed metrics skipped \(bad metric name "bad name"\)/.test(l)));
});

test('a worker metric named like one of the supervisor\'s is left out, not duplicated', async () => {
  const { collector, logs } = world({ 1: [{ ...counter(1), name: 'supervisor_reloads_total' }] });
  const text = await collector.text('text');
  assert.equal(text.match(/^# TYPE supervisor_reloads_total /gm)?.length, 1);
  assert.ok(logs.some((l) => /supervisor_reloads_total is left out/.test(l)));
});

test('OpenMetrics: counters typed without _total, samples with it, and a final # EOF', async () => {
  const { collector } = world({ 1: [counter(2)] });
  const text = await collector.text('openmetrics');
  assert.match(text, /^# TYPE jobs counter$/m);
  assert.match(text, /^jobs_total\{app="web"\} 2$/m);
  assert.match(text, /^# TYPE supervisor_reloads counter$/m);
  assert.ok(text.endsWith('# EOF\n'));
  const again = await collector.text('text');
  assert.match(again, /^# TYPE supervisor_reloads_total counter$/m, 'rendering OpenMetrics leaves the text format intact');
});

test('a worker that exits during a scrape is not waited for and not counted as silent', async () => {
  // A long timeout, so "not waited for" holds with a wide margin on a busy machine.
  const { collector, logs } = world({ 1: [counter(2)], 2: 'silent' }, 20_000);
  const started = Date.now();
  const pending = collector.text('text');
  setImmediate(() => collector.observe({ type: 'worker-exit', worker: { app: 'web', slot: 1, generation: 1, pid: 2 }, code: 0, signal: null, outcome: 'expected', uptimeMs: 10, stopReason: 'reload' }));
  const text = await pending;
  assert.ok(Date.now() - started < 10_000, 'the scrape did not wait for the timeout');
  assert.doesNotMatch(text, /reason="timeout"\} [1-9]/);
  assert.match(text, /^jobs_total\{app="web"\} 2$/m);
  assert.equal(logs.length, 0);
});

test('a gauge X_total that only sums gauge X (prom-client defaults) is left out; other metrics pass', async () => {
  const gauge = (name: string, labels: Record<string, string> = {}) => ({ name, help: name, type: 'gauge', aggregator: 'sum', values: [{ value: 1, labels }] });
  const { collector } = world({ 1: [gauge('nodejs_active_handles', { type: 'Timer' }), gauge('nodejs_active_handles_total'), gauge('lonely_total'), counter(1)] });
  const text = await collector.text('text');
  assert.match(text, /^nodejs_active_handles\{app="web",type="Timer"\} 1$/m);
  assert.doesNotMatch(text, /^nodejs_active_handles_total/m);
  assert.doesNotMatch(text, /^supervisor_nodejs_active_handles_total/m);
  assert.match(text, /^lonely_total\{app="web"\} 1$/m);
  assert.match(text, /^jobs_total\{app="web"\} 1$/m);
});

test('scrapes retain nothing: the heap after a full GC stays flat over 300 scrapes', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const metrics = Array.from({ length: 20 }, (_, i) => ({ ...counter(i), name: `m${i}_total` }));
  const answers = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [i + 1, metrics]));
  const { collector } = world(answers);
  for (let i = 0; i < 50; i++) await collector.text(i % 2 ? 'text' : 'openmetrics');
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 300; i++) await collector.text(i % 2 ? 'text' : 'openmetrics');
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 1024 * 1024, `heap grew by ${Math.round(grown / 1024)} KB over 300 scrapes`);
});
