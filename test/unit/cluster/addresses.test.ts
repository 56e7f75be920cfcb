// The names both ends of cluster mode give an address, and SUPERVISOR_CLUSTER read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey, addressText, listenKeyFor } from '../../../src/cluster/addresses.js';
import { decodeClusterEnv, encodeClusterEnv } from '../../../src/cluster/cluster-env.js';

test('address keys: every interface, a host, IPv6, the rank of a port-0 listen, a unix path', () => {
  assert.equal(addressKey({ kind: 'tcp', host: '', port: 3000, index: 0 }), 'tcp:*:3000');
  assert.equal(addressKey({ kind: 'tcp', host: '127.0.0.1', port: 3000, index: 0 }), 'tcp:127.0.0.1:3000');
  assert.equal(addressKey({ kind: 'tcp', host: '::1', port: 3000, index: 0 }), 'tcp:[::1]:3000');
  assert.equal(addressKey({ kind: 'tcp', host: '', port: 0, index: 0 }), 'tcp:*:0#0');
  assert.equal(addressKey({ kind: 'tcp', host: '', port: 0, index: 1 }), 'tcp:*:0#1', 'a second listen(0) of a worker is another port');
  assert.equal(addressKey({ kind: 'unix', path: '/run/a.sock', readableAll: true }), 'unix:/run/a.sock');
  assert.equal(addressText({ kind: 'tcp', host: '', port: 3000, index: 0 }), '*:3000');
  assert.equal(listenKeyFor({ kind: 'tcp', port: 3000 }), 'listen:3000', 'an app\'s `listen` socket serves its port on any host');
});

test('SUPERVISOR_CLUSTER round-trips; anything else reads as absent, and fds below 3 are dropped', () => {
  const env = { v: 1, fds: { 'tcp:*:3000': 6, 'listen:80': 3 }, signal: 'SIGTERM', readyOnListen: true } as const;
  assert.deepEqual(decodeClusterEnv(encodeClusterEnv(env)), env);
  for (const bad of [undefined, '', 'x', '[]', '{"v":2,"fds":{},"signal":"SIGTERM"}', '{"v":1,"signal":"SIGTERM"}']) assert.equal(decodeClusterEnv(bad), null, String(bad));
  assert.deepEqual(decodeClusterEnv('{"v":1,"fds":{"a":1,"b":"7","c":9},"signal":"SIGINT"}'), { v: 1, fds: { c: 9 }, signal: 'SIGINT', readyOnListen: false });
});
