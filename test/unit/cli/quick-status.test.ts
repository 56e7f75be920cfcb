// The commander-free path for `status`, `reload` and `restart`: only plain calls take it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuickRoll, parseQuickStatus } from '../../../src/cli/quick-status.js';

test('plain status calls are parsed without commander', () => {
  assert.deepEqual(parseQuickStatus(['status']), { json: false });
  assert.deepEqual(parseQuickStatus(['status', '--json']), { json: true });
  assert.deepEqual(parseQuickStatus(['status', '--home', '/h', '--json']), { json: true, home: '/h' });
  assert.deepEqual(parseQuickStatus(['status', '--home=/h']), { json: false, home: '/h' });
  assert.deepEqual(parseQuickStatus(['ls']), { json: false });
  assert.deepEqual(parseQuickStatus(['list', 'api', '--json']), { json: true, app: 'api' });
  assert.deepEqual(parseQuickStatus(['ps', 'My API']), { json: false, app: 'My API' });
});

test('anything else goes to commander (help, unknown options, other verbs)', () => {
  for (const argv of [[], ['stop'], ['status', '--help'], ['status', '-h'], ['status', '--jsn'], ['status', '--home'], ['status', '--home', '--json'], ['status', 'a', 'b'], ['status', '--watch'], ['lst']]) {
    assert.equal(parseQuickStatus(argv), null, argv.join(' '));
  }
});

test('plain reload and restart calls are parsed without commander; anything else goes to it', () => {
  assert.deepEqual(parseQuickRoll(['reload']), { verb: 'reload' });
  assert.deepEqual(parseQuickRoll(['reload', 'api', '--home', '/h']), { verb: 'reload', app: 'api', home: '/h' });
  assert.deepEqual(parseQuickRoll(['restart', '--home=/h']), { verb: 'restart', home: '/h' });
  for (const argv of [['reload', '--json'], ['reload', '--help'], ['reload', 'a', 'b'], ['reload', '--home'], ['status'], ['reloads'], ['scale', 'a', '2']]) {
    assert.equal(parseQuickRoll(argv), null, argv.join(' '));
  }
});
