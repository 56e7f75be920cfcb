import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CONSOLE_CAP, consoleSink } from '../../../src/runtime/console-sink.js';

// A terminal that takes nothing until `flow()` is called, then everything.
function stuckOutput() {
  const got: string[] = [];
  const waiting: (() => void)[] = [];
  let flowing = false;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      got.push(chunk.toString());
      if (flowing) done();
      else waiting.push(done);
    },
  });
  return { stream, got, flow: () => { flowing = true; for (const done of waiting.splice(0)) done(); } };
}

test('a console that does not keep up costs lines, never memory, and is told how many it missed', async () => {
  const out = stuckOutput();
  const err = stuckOutput();
  const sink = consoleSink((n) => `missed ${n}`, out.stream, err.stream);
  const line = 'z'.repeat(1000);
  const total = Math.floor((3 * CONSOLE_CAP) / line.length);
  for (let i = 0; i < total; i++) sink.write('stdout', line);
  assert.ok(out.stream.writableLength <= CONSOLE_CAP + line.length + 1, `at most the cap waits (${out.stream.writableLength})`);
  sink.write('stderr', 'still fine');
  out.flow();
  await new Promise((resolve) => setImmediate(resolve));
  const text = out.got.join('');
  const kept = text.split('\n').filter((l) => l === line).length;
  assert.ok(text.endsWith(`\nmissed ${total - kept}\n`), `ends with the dropped-lines note: ${JSON.stringify(text.slice(-40))}`);
  assert.ok(kept < total);
  assert.equal(err.got.join(''), 'still fine\n', 'the other stream is not affected');
});

test('under a lasting overload the note still comes, once half the waiting lines went out', () => {
  const got: string[] = [];
  const waiting: (() => void)[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      got.push(chunk.toString());
      waiting.push(done);
    },
  });
  const sink = consoleSink((n) => `missed ${n}`, stream, stuckOutput().stream);
  const line = 'q'.repeat(1000);
  for (let i = 0; i < (2 * CONSOLE_CAP) / line.length; i++) sink.write('stdout', line);
  // The reader takes some, never all: no 'drain' comes, and lines keep coming.
  while (stream.writableLength > CONSOLE_CAP / 2 - 10 * line.length) waiting.shift()!();
  sink.write('stdout', 'next');
  assert.ok(stream.writableLength > 0, 'the stream never drained');
  while (waiting.length > 0) waiting.shift()!();
  assert.match(got.join(''), /\nmissed \d+\nnext\n$/, 'the note, then the next line');
});
