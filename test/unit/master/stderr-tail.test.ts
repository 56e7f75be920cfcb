import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StderrTail, TAIL_LINES, TAIL_LINE_CHARS } from '../../../src/master/stderr-tail.js';

test('the tail keeps the last lines, each cut to its cap, blank lines skipped', () => {
  const tail = new StderrTail();
  for (let i = 0; i < 50; i++) tail.push(`line ${i}`);
  tail.push('   ');
  tail.push('x'.repeat(10_000));
  const lines = tail.lines();
  assert.equal(lines.length, TAIL_LINES);
  assert.equal(lines[0], `line ${50 - TAIL_LINES + 1}`);
  assert.equal(lines.at(-1), `${'x'.repeat(TAIL_LINE_CHARS)}...`);
});

test('a run of stack frames keeps its first frame, so the error above it stays in view', () => {
  const tail = new StderrTail();
  tail.push("Error: Cannot find module 'left-pad'");
  for (let i = 0; i < 40; i++) tail.push(`    at frame${i} (node:internal/x:${i}:1)`);
  tail.push('Node.js v20.20.2');
  assert.deepEqual(tail.lines(), ["Error: Cannot find module 'left-pad'", '    at frame0 (node:internal/x:0:1) (+39 more frames)', 'Node.js v20.20.2']);
});
