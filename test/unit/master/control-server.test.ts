// The control server passes codes through unchanged and produces its own: E_VERSION for
// another protocol version, E_BAD_REQUEST, E_TIMEOUT for a quick verb past its deadline,
// E_INTERNAL for a handler that throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import net from 'node:net';
import { startControlServer } from '../../../src/master/control-server.js';
import { request } from '../../../src/cli/control-client.js';
import { tempDir } from '../../helpers/config.js';

function raw(sock: string, line: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = net.connect(sock);
    let text = '';
    s.on('data', (d) => (text += d)).on('error', reject).on('end', () => resolve(JSON.parse(text.trim().split('\n').pop()!)));
    s.end(line + '\n');
  });
}

test('codes: passed through, E_VERSION, E_BAD_REQUEST, E_TIMEOUT past the quick deadline, E_INTERNAL', async () => {
  const sock = path.join(tempDir(), 'control.sock');
  const server = await startControlServer(sock, {
    status: () => new Promise(() => {}),
    ping: async () => { throw new Error('boom'); },
    reload: async () => ({ ok: false, code: 'E_ABORTED', message: 'gen 2 aborted' }),
    stop: async () => new Promise((resolve) => setTimeout(() => resolve({ ok: true, message: 'slow but fine' }), 300)),
  }, { quickDeadlineMs: 100 });
  try {
    assert.deepEqual(await raw(sock, JSON.stringify({ v: 2, id: 9, verb: 'status', args: {} })), { v: 1, id: 9, ok: false, code: 'E_VERSION', message: 'unsupported protocol version 2; this master speaks 1' });
    assert.equal((await raw(sock, '{"v":1}')).code, 'E_BAD_REQUEST');
    assert.equal((await raw(sock, '[]')).code, 'E_BAD_REQUEST');
    assert.equal((await raw(sock, JSON.stringify({ v: 1, id: 1, verb: 'nope' }))).code, 'E_BAD_REQUEST');
    const late = await request(sock, 'status');
    assert.deepEqual([late.ok, late.code], [false, 'E_TIMEOUT']);
    assert.match(late.message ?? '', /status did not finish within 100 ms/);
    const thrown = await request(sock, 'ping');
    assert.deepEqual([thrown.ok, thrown.code, thrown.message], [false, 'E_INTERNAL', 'internal error: boom']);
    const passed = await request(sock, 'reload');
    assert.deepEqual([passed.code, passed.message], ['E_ABORTED', 'gen 2 aborted']);
    assert.equal((await request(sock, 'stop')).ok, true, 'verbs that wait for work have no quick deadline');
  } finally {
    await server.close();
  }
});

// Opens a connection and resolves once it is connected.
function connect(sock: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(sock);
    s.on('error', () => undefined);
    s.once('connect', () => resolve(s)).once('error', reject);
  });
}

const closed = (s: net.Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

test('bounds: requests in flight per connection, idle connections closed, the oldest idle one evicted at the cap', async () => {
  const sock = path.join(tempDir(), 'control.sock');
  let running = 0;
  let most = 0;
  const server = await startControlServer(sock, {
    status: async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { ok: true };
    },
  }, { limits: { maxInFlight: 2, idleMs: 200 }, maxConnections: 3 });
  try {
    // 10 pipelined requests on one connection: all answered, at most 2 at a time.
    const answers = await new Promise<string[]>((resolve) => {
      const s = net.connect(sock);
      let text = '';
      s.on('data', (d) => (text += d)).on('end', () => resolve(text.trim().split('\n')));
      s.end(Array.from({ length: 10 }, (_, i) => JSON.stringify({ v: 1, id: i + 1, verb: 'status', args: {} })).join('\n') + '\n');
    });
    assert.equal(answers.length, 10);
    assert.equal(most, 2);
    // An idle connection is closed after idleMs.
    const idle = await connect(sock);
    const t0 = Date.now();
    await closed(idle);
    assert.ok(Date.now() - t0 >= 150, 'not before the idle deadline');
    // At the cap of 3, a fourth connection closes the oldest idle one.
    const [a, b, c] = [await connect(sock), await connect(sock), await connect(sock)];
    const d = await connect(sock);
    await closed(a);
    assert.ok(!b.destroyed && !c.destroyed && !d.destroyed);
    assert.equal((await request(sock, 'status')).ok, true, 'a caller still gets in at the cap');
    for (const s of [b, c, d]) s.destroy();
  } finally {
    await server.close();
  }
});
