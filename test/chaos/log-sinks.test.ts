// Scenario I2: slow, absent and fast log sinks (issue 13). A worker at 5 MB/s into an
// out_file FIFO that a log shipper reads at 100 KB/s: the master's memory stays bounded (the
// worker's pipe is paused) and `stop` finishes in time. An out_file FIFO with no reader: the
// master keeps answering status, /healthz and signals. A worker at 50 MB/s with
// max_log_size: the logs stay bounded and every line in them is there, in order. A
// `supervisor run` whose stdout nobody reads: bounded, answering, the log file complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { CLI } from '../helpers/paths.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { alive, pidsMatching } from '../helpers/procs.js';
import { get } from '../helpers/http.js';
import { metricsUrl } from '../helpers/metrics.js';
import { waitFor } from '../helpers/wait.js';
import { mb, rssOf, sampleRss } from '../helpers/rss.js';
import { workerLines } from '../helpers/log-events.js';
import { report, scale } from '../helpers/chaos.js';

const mkfifo = (file: string) => assert.equal(spawnSync('mkfifo', [file]).status, 0, 'mkfifo');

// Starts a daemon master on `file`; once it settled, its RSS is the baseline and sampling starts.
async function startWatched(home: string, file: string): Promise<{ master: number; baseline: number; rss: ReturnType<typeof sampleRss> }> {
  const started = await cli(home, ['start', file]);
  assert.equal(started.code, 0, started.stderr);
  const master = pidfilePid(home)!;
  await sleep(500);
  return { master, baseline: rssOf(master)!, rss: sampleRss(master, 100) };
}

test('a worker at 5 MB/s into a FIFO read at 100 KB/s: bounded memory, stop in time', { timeout: 120_000 }, async () => {
  const runMs = scale(60_000, 5_000);
  const killTimeoutMs = 3_000;
  const dir = tempDir('gs-chaos-slowfifo-');
  const fifo = path.join(dir, 'out.fifo');
  mkfifo(fifo);
  const shipped = path.join(dir, 'shipped.log');
  const reader = spawn(process.execPath, [fixture('slow-reader.mjs'), fifo, shipped], { stdio: 'ignore', env: { ...process.env, RATE_BYTES: String(100 * 1024) } });
  const home = path.join(dir, 'home');
  const file = writeConfig(dir, { apps: [{ name: 'hose', script: fixture('firehose.mjs'), args: [dir], wait_ready: true, kill_timeout: killTimeoutMs, out_file: fifo, env: { RATE_BYTES: String(5 * 1024 * 1024) } }] });
  try {
    const { master, baseline, rss } = await startWatched(home, file);
    await sleep(runMs);
    const peak = rss.stop();
    assert.ok(alive(master), 'the master is running');
    assert.ok(peak - baseline < 50 * 1024 * 1024, `master RSS ${mb(baseline)} -> peak ${mb(peak)} while the sink is 50x slower than the worker`);
    const t0 = Date.now();
    const stop = await cli(home, ['stop'], {}, 30_000);
    const stopMs = Date.now() - t0;
    assert.equal(stop.code, 0, `stop: ${stop.stderr}`);
    assert.ok(stopMs < killTimeoutMs + 5_000, `stop took ${stopMs} ms (kill_timeout ${killTimeoutMs} ms)`);
    await waitFor('the master gone', () => !alive(master), 5_000);
    // What the shipper got: consecutive lines from the first, none lost on the way (the tail
    // still in the master's buffer when the worker stopped may be cut by close's deadline).
    const numbers = [...readFileSync(shipped, 'utf8').matchAll(/hose#0 \| (\d+) x*$/gm)].map((l) => Number(l[1]));
    assert.ok(numbers.length > (runMs / 1000) * 500, `the shipper got lines all along (${numbers.length})`);
    assert.deepEqual(numbers.filter((n, i) => n !== i + 1).slice(0, 3), [], 'every line from 1 on, none missing, in order');
    assert.doesNotMatch(readFileSync(shipped, 'utf8'), /dropped here/);
    report({
      id: 'I2a',
      scenario: 'Slow log sink: out_file FIFO read at 100 KB/s',
      load: '1 worker writing 5 MB/s of 100-byte lines',
      faults: `log shipper 50x slower than the worker for ${runMs / 1000} s`,
      lost: `0 lines: the shipper got lines 1 to ${numbers.length} in order (the worker was slowed down to the sink: its pipe paused)`,
      result: `master RSS ${mb(baseline)} -> peak ${mb(peak)}; supervisor stop took ${stopMs} ms (kill_timeout ${killTimeoutMs} ms)`,
    });
  } finally {
    reader.kill('SIGKILL');
    await killDaemon(home);
  }
});

test('an out_file FIFO with no reader: status, /healthz and signals keep answering', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-chaos-deadfifo-');
  const fifo = path.join(dir, 'out.fifo');
  mkfifo(fifo);
  const file = writeConfig(dir, {
    apps: [{ name: 'chatty', script: fixture('chatty.mjs'), args: [dir], wait_ready: true, kill_timeout: '3s', out_file: fifo }],
    metrics: { host: '127.0.0.1', port: 0 },
  });
  const m = startMaster(['run', file]);
  let reader: ReturnType<typeof spawn> | null = null;
  try {
    const url = /127\.0\.0\.1:(\d+)/.exec(await metricsUrl(m))![1]!;
    await m.waitForEvent({ event: 'app-started', app: 'chatty' });
    await m.waitForEvent({ event: 'worker-output', app: 'chatty', message: /^out \d+$/ }); // the worker is writing: the master tried the FIFO
    const t0 = Date.now();
    const status = await cli(m.home, ['status'], {}, 5_000);
    assert.equal(status.code, 0, `status answers: ${status.stderr}`);
    const health = await get(Number(url), '/healthz');
    assert.equal(health.status, 200, `/healthz: ${health.body}`);
    const from = m.mark();
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-done', app: 'chatty', generation: 2 }, { after: from, timeoutMs: 15_000 });
    const answeredMs = Date.now() - t0;
    assert.equal(m.count(/WARN log file .*out\.fifo: cannot open: ENXIO/), 1, 'the missing reader is logged once');
    // The log shipper comes back: lines flow again, with a note of what was dropped.
    let got = '';
    reader = spawn('cat', [fifo]);
    reader.stdout!.on('data', (d: Buffer) => (got += d.toString()));
    await waitFor('lines through the FIFO once a reader appeared', () => workerLines(got).some((l) => l.app === 'chatty' && /^out \d+$/.test(l.message)) && /line\(s\) dropped here/.test(got), 10_000);
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 5000);
    report({
      id: 'I2b',
      scenario: 'Absent log sink: out_file FIFO with no reader',
      load: '1 worker writing 20 lines/s to stdout and stderr',
      faults: 'out_file is a FIFO nobody reads, then a reader appears',
      lost: 'the lines written while no reader was there (counted, and said in the FIFO once a reader came)',
      result: `status, /healthz and a SIGHUP reload answered in ${answeredMs} ms; ENXIO logged once; lines flow again within 1 s of a reader appearing`,
    });
  } finally {
    reader?.kill('SIGKILL');
    await stopMaster(m);
  }
});

// The size of a file that rotation may rename away between readdir and stat (then 0).
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

// The numbers of the lines in `files` (oldest first), as the firehose wrote them.
function lineNumbers(files: string[]): number[] {
  const out: number[] = [];
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/hose#0 \| (\d+) x*$/gm)) out.push(Number(m[1]));
  return out;
}

test('a worker at 50 MB/s with max_log_size: logs bounded, every line kept in order', { timeout: 120_000 }, async () => {
  const runMs = scale(60_000, 3_000);
  const maxLogSize = 10 * 1024 * 1024;
  const keep = 2;
  const dir = tempDir('gs-chaos-rotate50-');
  const home = path.join(dir, 'home');
  const out = path.join(dir, 'logs', 'hose.log');
  const file = writeConfig(dir, { apps: [{ name: 'hose', script: fixture('firehose.mjs'), args: [dir], wait_ready: true, kill_timeout: '3s', out_file: out, max_log_size: maxLogSize, max_log_files: keep, env: { RATE_BYTES: String(50 * 1024 * 1024) } }] });
  try {
    const { baseline, rss } = await startWatched(home, file);
    const sizes: number[] = [];
    const t0 = Date.now();
    while (Date.now() - t0 < runMs) {
      await sleep(250);
      sizes.push(readdirSync(path.dirname(out)).reduce((sum, f) => sum + sizeOf(path.join(path.dirname(out), f)), 0));
    }
    const peak = rss.stop();
    const stop = await cli(home, ['stop'], {}, 30_000);
    assert.equal(stop.code, 0, stop.stderr);
    const files = [...Array.from({ length: keep }, (_, i) => `${out}.${keep - i}`), out].filter((f) => existsSync(f));
    assert.deepEqual(readdirSync(path.dirname(out)).sort(), files.map((f) => path.basename(f)).sort(), 'only the live file and max_log_files rotated ones');
    const numbers = lineNumbers(files);
    const first = numbers[0]!;
    const gaps = numbers.filter((n, i) => n !== first + i).length;
    assert.equal(gaps, 0, 'every line in the kept files, in order, none missing');
    const written = numbers[numbers.length - 1]! * 100;
    const maxTotal = Math.max(...sizes);
    assert.ok(maxTotal <= (keep + 1) * maxLogSize + 1024 * 1024, `logs at most ${(keep + 1) * 10} MB (+1 MB): peak ${mb(maxTotal)}`);
    assert.ok(first > 1 || written < (keep + 1) * maxLogSize, 'old lines were rotated away');
    report({
      id: 'I2c',
      scenario: 'Fast worker with max_log_size rotation',
      load: `1 worker writing up to 50 MB/s of 100-byte lines for ${runMs / 1000} s`,
      faults: `max_log_size 10M, max_log_files ${keep}`,
      lost: `0 lines missing in the kept files (${numbers.length} lines, ${mb(written)} written in all)`,
      result: `logs peaked at ${mb(maxTotal)} on disk (bound ${(keep + 1) * 10} MB); master RSS ${mb(baseline)} -> peak ${mb(peak)}; ${((written / (runMs / 1000)) / 1024 / 1024).toFixed(0)} MB/s through the master`,
    });
  } finally {
    await killDaemon(home);
  }
});

test('supervisor run whose stdout nobody reads: the master stays bounded and answering, the log file complete', { timeout: 120_000 }, async () => {
  const runMs = scale(30_000, 4_000);
  const dir = tempDir('gs-chaos-stuckstdout-');
  const home = path.join(dir, 'home');
  const out = path.join(dir, 'hose.log');
  const file = writeConfig(dir, { apps: [{ name: 'hose', script: fixture('firehose.mjs'), args: [dir], wait_ready: true, kill_timeout: '3s', out_file: out, env: { RATE_BYTES: String(10 * 1024 * 1024) } }] });
  // Like a container log driver that stopped reading: the pipes are there, nobody drains them.
  const master = spawn(process.execPath, [CLI, 'run', file], { env: { ...process.env, SUPERVISOR_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => master.on('exit', (code) => resolve(code)));
  try {
    await waitFor('lines in the log file', () => existsSync(out) && statSync(out).size > 1024 * 1024, 20_000);
    const baseline = rssOf(master.pid!)!;
    const rss = sampleRss(master.pid!, 100);
    await sleep(runMs);
    const status = await cli(home, ['status'], {}, 10_000);
    const peak = rss.stop();
    assert.equal(status.code, 0, `status answers: ${status.stderr}`);
    assert.ok(peak - baseline < 50 * 1024 * 1024, `master RSS ${mb(baseline)} -> peak ${mb(peak)} while its stdout is not read`);
    // The log driver reads again: the terminal is told how many lines it missed.
    let tail = '';
    let missed: string | null = null;
    master.stdout!.on('data', (d: Buffer) => {
      const text = tail + d.toString();
      missed ??= /(\d+) log line\(s\) dropped here: this output did not keep up/.exec(text)?.[1] ?? null;
      tail = text.slice(-200); // a note split across two reads
    });
    await waitFor('the dropped-lines note on stdout', () => missed, 20_000);
    master.kill('SIGTERM');
    assert.equal(await exited, 0, 'the master stops cleanly');
    const numbers = [...readFileSync(out, 'utf8').matchAll(/hose#0 \| (\d+) x*$/gm)].map((l) => Number(l[1]));
    assert.deepEqual(numbers.filter((n, i) => n !== i + 1).slice(0, 3), [], 'every line in the log file, in order');
    report({
      id: 'I2d',
      scenario: 'supervisor run whose stdout nobody reads',
      load: '1 worker writing up to 10 MB/s of 100-byte lines',
      faults: `the master's stdout and stderr pipes not read for ${runMs / 1000} s`,
      lost: `0 lines in the log file (${numbers.length}); the terminal missed ${missed} lines, and said so once read again`,
      result: `master RSS ${mb(baseline)} -> peak ${mb(peak)}; status answered; stopped cleanly`,
    });
  } finally {
    master.kill('SIGKILL');
    await exited;
  }
});
