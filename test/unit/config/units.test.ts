import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseSize } from '../../../src/config/units.js';

test('durations: ms numbers and unit strings', () => {
  assert.equal(parseDuration(1500), 1500);
  assert.equal(parseDuration('1500'), 1500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('soon'), null);
  assert.equal(parseDuration(-1), null);
  assert.equal(parseDuration('30d'), null);
});

test('sizes: PM2 style', () => {
  assert.equal(parseSize('300M'), 300 * 1024 * 1024);
  assert.equal(parseSize('1G'), 1024 ** 3);
  assert.equal(parseSize('512K'), 512 * 1024);
  assert.equal(parseSize(1000), 1000);
  assert.equal(parseSize('lots'), null);
});
