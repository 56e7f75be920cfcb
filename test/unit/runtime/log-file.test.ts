import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CAP, HIGH_WATER, openLogFile, STALL_MS } from '../../../src/runtime/log-file.js';
import { tempDir } from '../../helpers/config.js';
import { waitFor } from '../../helpers/wait.js';

// A temp dir removed after the test, whatever its outcome.
function scratch(t: TestContext): string {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const fifoIn = (dir: string) => {
  const fifo = path.join(dir, 'sink.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  return fifo;
};

// Reads what is in a non-blocking FIFO right now.
function drain(fd: number): string {
  const buf = Buffer.alloc(1024 * 1024);
  let text = '';
  for (;;) {
    try {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return text;
      text += buf.toString('utf8', 0, n);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return text;
      throw error;
    }
  }
}

// A fake worker pipe that counts pauses and releases.
function flow() {
  const f = { paused: 0, released: 0, pause: () => (f.paused++, () => void f.released++) };
  return f;
}

test('lines reach a regular file, its directory is created, and close() flushes them', async (t) => {
  const dir = scratch(t);
  const file = path.join(dir, 'logs', 'app.log');
  const log = openLogFile(file, (m) => assert.fail(m));
  t.after(() => log.close(0));
  for (let i = 0; i < 1000; i++) assert.equal(log.write(`line ${i}`), true);
  await log.close();
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.length, 1001);
  assert.equal(lines[999], 'line 999');
});

test('a FIFO with no reader never blocks: lines are dropped, counted, and noted once a reader appears', async (t) => {
  const dir = scratch(t);
  const fifo = fifoIn(dir);
  const problems: string[] = [];
  let dropped = 0;
  const log = openLogFile(fifo, (m) => problems.push(m), { onDropped: (n) => (dropped += n), marker: (n, why) => `dropped ${n}: ${why}` });
  t.after(() => log.close(0));
  log.write('first');
  await waitFor('the open to fail', () => problems.length === 1);
  assert.match(problems[0]!, /cannot open: ENXIO \(a FIFO with no reader\).*until a reader appears/);
  for (let i = 0; i < 10; i++) assert.equal(log.write(`lost ${i}`), false);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  t.after(() => closeSync(reader));
  let text = '';
  await waitFor('lines through the FIFO once it has a reader (tried again every second)', () => {
    log.write('again');
    text += drain(reader);
    return /again/.test(text);
  }, 5_000, 100);
  assert.match(text, /^dropped \d+: the log file could not be opened \(ENXIO\)\nagain\n/);
  assert.ok(dropped >= 11, `every dropped line counted (${dropped})`);
  assert.equal(problems.length, 1, 'reported once');
  await log.close();
});

test('a slow sink pauses its writers; a stalled one releases them, drops past the cap, and says so', async (t) => {
  const dir = scratch(t);
  const fifo = fifoIn(dir);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // a reader that does not read yet
  t.after(() => closeSync(reader));
  let dropped = 0;
  const log = openLogFile(fifo, (m) => assert.fail(m), { onDropped: (n) => (dropped += n), marker: (n) => `dropped ${n}` });
  t.after(() => log.close(0));
  const worker = flow();
  const line = 'x'.repeat(1000);
  await waitFor('the FIFO open', () => (log.write('hello'), drain(reader).includes('hello')));
  let written = 0;
  while (worker.paused === 0 && written < HIGH_WATER * 4) {
    log.write(line, worker);
    written += line.length;
  }
  assert.equal(worker.paused, 1, 'paused once the sink fell behind');
  assert.equal(worker.released, 0);
  await waitFor(`released once nothing moved for ${STALL_MS} ms`, () => worker.released === 1, STALL_MS + 2_000);
  let accepted = 0;
  for (let i = 0; i < (2 * CAP) / line.length; i++) if (log.write(line, worker)) accepted++;
  assert.ok(dropped > 0 && accepted < (2 * CAP) / line.length, `past the cap lines are dropped (${dropped})`);
  assert.equal(worker.paused, 1, 'a stalled sink does not pause writers again');
  let text = '';
  await waitFor('the sink caught up after the reader woke', () => {
    text += drain(reader);
    log.write('after');
    return /after/.test(text);
  }, 10_000, 50);
  assert.match(text, new RegExp(`\\ndropped ${dropped}\\n`), 'one line says how many were dropped');
  await log.close();
});

test('close() gives up on a sink that does not move after the deadline and reports what was lost', async (t) => {
  const dir = scratch(t);
  const fifo = fifoIn(dir);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  t.after(() => closeSync(reader));
  const problems: string[] = [];
  const log = openLogFile(fifo, (m) => problems.push(m));
  t.after(() => log.close(0));
  for (let i = 0; i < 2000; i++) log.write('y'.repeat(1000));
  const t0 = Date.now();
  await log.close(300);
  assert.ok(Date.now() - t0 < 2_000, `closed in ${Date.now() - t0} ms`);
  assert.match(problems[0]!, /line\(s\) not written at close/);
});

test('max_log_size rotates: <file>.1 is the newest, and only max_log_files old ones stay', async (t) => {
  const dir = scratch(t);
  const file = path.join(dir, 'app.log');
  const log = openLogFile(file, (m) => assert.fail(m));
  t.after(() => log.close(0));
  log.rotateAt(10_000, 2);
  for (let i = 0; i < 500; i++) {
    log.write(`line ${i} ${'z'.repeat(100)}`);
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await log.close();
  assert.deepEqual(readdirSync(dir).sort(), ['app.log', 'app.log.1', 'app.log.2']);
  const numbers = ['app.log.2', 'app.log.1', 'app.log'].flatMap((f) => [...readFileSync(path.join(dir, f), 'utf8').matchAll(/^line (\d+)/gm)].map((m) => Number(m[1])));
  assert.equal(numbers.at(-1), 499);
  assert.deepEqual(numbers, numbers.map((_, i) => numbers[0]! + i), 'the kept lines are consecutive');
  assert.ok(numbers[0]! > 0, 'the oldest lines were rotated away');
  assert.ok(!existsSync(path.join(dir, 'app.log.3')));
});
