// log_date_format renders exactly as PM2 does (PM2 stamps lines with day.js's format(), no
// plugins): compared with day.js itself, loaded from PM2's own dependencies. Tokens day.js
// prints oddly, or only with a plugin, are refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { compileDateFormat, type DateFormatter } from '../../../src/config/date-format.js';

const dayjs = createRequire(import.meta.url)('dayjs') as (d: Date) => { format(f: string): string };

const compiled = (format: string): DateFormatter => {
  const f = compileDateFormat(format);
  assert.equal(typeof f, 'function', `${format}: ${JSON.stringify(f)}`);
  return f as DateFormatter;
};

test('PM2 formats seen in real ecosystem files render as day.js renders them', () => {
  const formats = ['YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DD HH:mm Z', 'YYYY-MM-DD HH:mm:ss Z', 'MM-DD HH:mm:ss', 'YYYY-MM-DD HH:mm', 'YYYY-MM-DDTHH:mm:ss',
    'YYYY-MM-DD HH:mm:ss.SSS ZZ', 'DD/MM/YY h:mm:ss A', 'ddd, D MMM YYYY hh:mm a', 'dddd MMMM d dd M H m s', '[at] HH:mm [sharp]', 'YYYY-MM-DD HH:mm:ss '];
  const dates = [new Date(2026, 0, 5, 0, 7, 9, 4), new Date(2026, 10, 30, 13, 45, 59, 999), new Date(1999, 11, 31, 23, 59, 59, 0), new Date(2024, 1, 29, 12, 0, 0, 50)];
  for (const format of formats) {
    const f = compiled(format);
    for (const d of dates) assert.equal(f(d), dayjs(d).format(format), `${format} at ${d.toISOString()}`);
  }
});

test('"iso" and "epoch" keep their meaning', () => {
  const d = new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 5));
  assert.equal(compiled('iso')(d), '2026-11-30T12:00:00.005Z');
  assert.equal(compiled('epoch')(d), String(d.getTime()));
});

test('tokens PM2 would print wrongly or only with a plugin are refused by name', () => {
  for (const [format, token] of [['X', 'X'], ['YYYY-MM-DD x', 'x'], ['Do MMM', 'o'], ['HH:mm:ss.SS', 'S'], ['Y-MM', 'Y'], ['YYY', 'YYY'], ['Q', 'Q'], ['HH kk', 'k']] as const) {
    const f = compileDateFormat(format);
    assert.ok(typeof f === 'object' && f.error.includes(`token "${token}"`), `${format}: ${JSON.stringify(f)}`);
  }
  assert.equal(typeof compileDateFormat('[X] YYYY'), 'function', 'a bracketed letter is a literal');
});
