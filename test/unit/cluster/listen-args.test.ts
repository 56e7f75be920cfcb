// listen() arguments read as Node reads them (src/cluster/listen-args.ts): every signature,
// and the calls left to Node (handles, fds, exclusive/reusePort/ipv6Only, bad ports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readListenCall } from '../../../src/cluster/listen-args.js';

const cb = () => undefined;
const read = (...args: unknown[]) => {
  const call = readListenCall(args, '/srv/app');
  if (call.kind === 'pass') return 'pass';
  const { callback, signal, ...rest } = call;
  return { ...rest, callback: callback === cb, signal: signal !== undefined };
};
const tcp = (host: string, port: number, backlog?: number, callback = false) => ({ kind: 'tcp', host, port, backlog, callback, signal: false });

test('port forms: a number, a numeric string, with a host, a backlog and a callback', () => {
  assert.deepEqual(read(3000), tcp('', 3000));
  assert.deepEqual(read('3000'), tcp('', 3000));
  assert.deepEqual(read(3000, cb), tcp('', 3000, undefined, true));
  assert.deepEqual(read(3000, '127.0.0.1'), tcp('127.0.0.1', 3000));
  assert.deepEqual(read(3000, '::1', cb), tcp('::1', 3000, undefined, true));
  assert.deepEqual(read(3000, 'localhost', 128, cb), tcp('localhost', 3000, 128, true));
  assert.deepEqual(read(3000, 64), tcp('', 3000, 64));
  assert.deepEqual(read(3000, 64, cb), tcp('', 3000, 64, true));
});

test('no port is port 0: listen(), listen(cb), listen(undefined), listen(null), { port: undefined }', () => {
  assert.deepEqual(read(), tcp('', 0));
  assert.deepEqual(read(cb), tcp('', 0, undefined, true));
  assert.deepEqual(read(undefined, cb), tcp('', 0, undefined, true));
  assert.deepEqual(read(null), tcp('', 0));
  assert.deepEqual(read({ port: undefined, host: '127.0.0.1' }), tcp('127.0.0.1', 0));
  assert.deepEqual(read(0), tcp('', 0));
});

test('options objects: port, host, backlog, signal', () => {
  const signal = new AbortController().signal;
  assert.deepEqual(read({ port: 8080, host: '0.0.0.0', backlog: 10, signal }, cb), { ...tcp('0.0.0.0', 8080, 10, true), signal: true });
  assert.deepEqual(read({ port: '8080' }), tcp('', 8080));
  assert.deepEqual(read({ port: 8080, host: '' }), tcp('', 8080));
  assert.deepEqual(read({ port: 8080, exclusive: false }), tcp('', 8080));
});

test('unix paths: a string that is not a number, or { path }; relative paths resolve against the cwd', () => {
  const unix = (path: string, extra: object = {}) => ({ kind: 'unix', path, readableAll: false, writableAll: false, backlog: undefined, callback: false, signal: false, ...extra });
  assert.deepEqual(read('/run/app.sock'), unix('/run/app.sock'));
  assert.deepEqual(read('app.sock', cb), unix('/srv/app/app.sock', { callback: true }));
  assert.deepEqual(read('app.sock', 32), unix('/srv/app/app.sock', { backlog: 32 }));
  assert.deepEqual(read({ path: '/run/a.sock', readableAll: true, writableAll: true }), unix('/run/a.sock', { readableAll: true, writableAll: true }));
  assert.deepEqual(read({ path: '\0abstract' }), unix('\0abstract'));
});

test('left to Node: handles, fds, exclusive, reusePort, ipv6Only, and what Node refuses', () => {
  for (const args of [
    [{ fd: 3 }],
    [{ handle: {} }],
    [{ _handle: {} }],
    [{ port: 3000, exclusive: true }],
    [{ port: 3000, reusePort: true }],
    [{ port: 3000, ipv6Only: true }],
    [70000],
    [-1],
    [1.5],
    [{ port: ' ' }],
    [{ port: true }],
    [{}],
    [{ host: 'localhost' }],
    [{ port: 3000, host: 42 }],
  ]) assert.equal(read(...args), 'pass', JSON.stringify(args));
});
