import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, printable } from '../../../src/worker/line-splitter.js';

// Splits `chunks` with a limit of `max` bytes; returns [text, truncated] pairs.
function split(chunks: (string | Buffer)[], max = 16): [string, boolean][] {
  const out: [string, boolean][] = [];
  const s = new LineSplitter(max, (text, truncated) => out.push([text, truncated]));
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return out;
}

test('lines end at \\n, \\r\\n and a lone \\r, also across chunks; a last line without a break is kept', () => {
  assert.deepEqual(split(['a\nb\r\nc\rd', '\n\ne']), [['a', false], ['b', false], ['c', false], ['d', false], ['', false], ['e', false]]);
  assert.deepEqual(split(['one\r', '\ntwo\r', 'three\n']), [['one', false], ['two', false], ['three', false]]);
  assert.deepEqual(split(['par', 'tial', ' line\n']), [['partial line', false]]);
});

test('a line longer than the limit is cut there, marked, and its rest dropped up to the next break', () => {
  assert.deepEqual(split(['0123456789abcdefXYZ\nnext\n']), [['0123456789abcdef', true], ['next', false]]);
  assert.deepEqual(split(['0123456789', 'abcdefXYZ', 'more and more', '\nnext\n']), [['0123456789abcdef', true], ['next', false]]);
  assert.deepEqual(split(['0123456789abcdef\n']), [['0123456789abcdef', false]], 'exactly the limit is whole');
});

test('memory stays bounded: 64 MB without a newline yields one truncated line', () => {
  const out: [string, boolean][] = [];
  const s = new LineSplitter(1024, (text, truncated) => out.push([text, truncated]));
  const chunk = Buffer.alloc(64 * 1024, 'x');
  for (let i = 0; i < 1024; i++) s.push(chunk);
  s.push(Buffer.from('\nok\n'));
  assert.equal(out.length, 2);
  assert.equal(out[0]![0].length, 1024);
  assert.equal(out[0]![1], true);
  assert.deepEqual(out[1], ['ok', false]);
});

test('a cut never splits a UTF-8 character; invalid UTF-8 becomes U+FFFD', () => {
  const [[text, truncated]] = split([Buffer.from('abcdefghijklmno€€\n')]) as [[string, boolean]];
  assert.equal(truncated, true);
  assert.equal(text, 'abcdefghijklmno', 'the euro sign (3 bytes) that did not fit whole is left out');
  assert.deepEqual(split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a])]), [['a\ufffd\ufffdb', false]]);
});

test('terminal escapes, NULs and other control characters are shown as \\xNN; tabs stay', () => {
  assert.deepEqual(split([Buffer.from('\x1b[2J\x00bell\x07\ttab\x7f\u009b\n')], 64), [['\\x1b[2J\\x00bell\\x07\ttab\\x7f\\x9b', false]]);
  assert.equal(printable('plain text'), 'plain text');
});
