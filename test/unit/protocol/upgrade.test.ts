// The handoff a master passes to the master that replaces it is checked before it is used:
// a malformed one is refused with the field named, never half-used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHandoff, type Handoff } from '../../../src/protocol/upgrade.js';

const good: Handoff = {
  v: 1,
  from: 812,
  fromVersion: '0.1.0',
  sockets: [{ fd: 4, kind: 'listen', app: 'web', file: '/srv/eco.json', key: 'tcp:3000', address: { kind: 'tcp', host: '127.0.0.1', port: 3000, text: 'tcp://127.0.0.1:3000' }, port: 3000, name: 'tcp-127.0.0.1-3000' }],
  configs: [{ file: '/srv/eco.json', env: null }],
  scaled: [{ app: 'web', instances: 6 }],
  stopped: ['cron'],
  metrics: { fd: 5, host: '127.0.0.1', port: 9100 },
};

test('a well-formed handoff is read back as it was written', () => {
  assert.deepEqual(parseHandoff(JSON.stringify(good)), good);
  assert.deepEqual(parseHandoff(JSON.stringify({ ...good, metrics: null, sockets: [] })), { ...good, metrics: null, sockets: [] });
});

test('a malformed handoff is refused, naming what is wrong', () => {
  const cases: [unknown, RegExp][] = [
    ['not json', /is not JSON/],
    [{ ...good, v: 2 }, /expected version 1/],
    [{ ...good, from: 'x' }, /from and fromVersion/],
    [{ ...good, sockets: [{ ...good.sockets[0], fd: 1 }] }, /sockets:/],
    [{ ...good, sockets: [{ ...good.sockets[0], kind: 'other' }] }, /sockets:/],
    [{ ...good, sockets: [{ ...good.sockets[0], address: { kind: 'tcp' } }] }, /sockets:/],
    [{ ...good, configs: [] }, /configs: expected at least one/],
    [{ ...good, configs: [{ file: 3, env: null }] }, /configs:/],
    [{ ...good, metrics: { fd: 2, host: 'h', port: 1 } }, /metrics:/],
    [{ ...good, scaled: [{ app: 'web', instances: 'x' }] }, /scaled:/],
    [{ ...good, stopped: [3] }, /stopped:/],
  ];
  for (const [raw, problem] of cases) {
    const parsed = parseHandoff(typeof raw === 'string' ? raw : JSON.stringify(raw));
    assert.equal(typeof parsed, 'string', JSON.stringify(raw));
    assert.match(parsed as string, problem);
  }
});
