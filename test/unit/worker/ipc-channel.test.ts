import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { MasterChannel } from '../../../src/worker/ipc-channel.js';
import type { WorkerToMaster } from '../../../src/protocol/ipc.js';

// A channel on an in-memory socket: what the worker "writes" is fed to the master's end.
function channel(limits = { maxMessageBytes: 64, maxMetricsReplyBytes: 256 }) {
  const socket = new PassThrough();
  const sent: string[] = [];
  socket.write = ((chunk: string) => {
    sent.push(chunk);
    return true;
  }) as typeof socket.write;
  const got: WorkerToMaster[] = [];
  const broken: string[] = [];
  const ch = new MasterChannel(socket, { message: (m) => got.push(m), broken: (r) => broken.push(r) }, limits);
  const worker = (text: string) => socket.emit('data', Buffer.from(text));
  return { ch, socket, sent, got, broken, worker };
}

test('our messages are delivered once each; the app\'s own traffic never reaches the master', () => {
  const c = channel();
  c.worker('"ready"\n{"type":"supervisor:hello","v":1}\n{"type":"supervisor:ready","v":1}\n');
  c.worker('{"cmd":"NODE_HANDLE"}\n{"type":"mine","big":1}\n42\n"hello"\n');
  c.worker('{"type":"supervisor:hello","v":1}\n{"type":"supervisor:future-thing","v":1}\n');
  assert.deepEqual(c.got.map((m) => m.type), ['supervisor:ready', 'supervisor:hello']);
  assert.deepEqual(c.broken, []);
});

test('a message split across reads is put back together', () => {
  const c = channel();
  c.worker('{"type":"supervi');
  c.worker('sor:hello","v":1}');
  c.worker('\n');
  assert.deepEqual(c.got.map((m) => m.type), ['supervisor:hello']);
});

test('a message over the cap breaks the channel before it is all read', () => {
  const c = channel();
  c.worker('x'.repeat(40));
  assert.deepEqual(c.broken, []);
  c.worker('x'.repeat(40));
  assert.deepEqual(c.broken, ['IPC message longer than 64 bytes']);
  assert.ok(c.socket.destroyed, 'the channel is closed');
  c.worker('{"type":"supervisor:hello","v":1}\n');
  assert.deepEqual(c.got, [], 'nothing is read after that');
});

test('malformed JSON and a supervisor message of another version break the channel', () => {
  const bad = channel();
  bad.worker('{not json\n');
  assert.match(bad.broken[0]!, /^malformed IPC message \(not JSON\)/);
  const version = channel();
  version.worker('{"type":"supervisor:ready","v":2}\n');
  assert.deepEqual(version.broken, ['supervisor:ready message of protocol version 2 (this master speaks v1)']);
  const noId = channel();
  noId.worker('{"type":"supervisor:metrics","v":1}\n');
  assert.deepEqual(noId.broken, ['supervisor:metrics message without a numeric id']);
});

test('a metrics answer may be larger than the cap only while it is awaited, and only once', () => {
  const c = channel();
  const answer = (id: number) => `{"type":"supervisor:metrics","v":1,"id":${id},"metrics":"${'m'.repeat(100)}"}\n`;
  assert.ok(c.ch.send({ type: 'supervisor:metrics-request', v: 1, id: 7 }));
  assert.deepEqual(c.sent, ['{"type":"supervisor:metrics-request","v":1,"id":7}\n']);
  c.worker(answer(7));
  assert.deepEqual(c.got.map((m) => m.type), ['supervisor:metrics']);
  c.worker(answer(7));
  assert.deepEqual(c.broken, ['IPC message longer than 64 bytes'], 'a second, unasked large answer is over the cap');
});

test('an answer nobody waits for is dropped; sends after close are refused', () => {
  const c = channel();
  c.worker('{"type":"supervisor:metrics","v":1,"id":3,"metrics":[]}\n');
  assert.deepEqual(c.got, []);
  c.ch.close();
  assert.equal(c.ch.send({ type: 'supervisor:shutdown', v: 1 }), false);
});

test('cluster mode: a listen request reaches the master; one without an id or a valid address breaks the channel', () => {
  const c = channel({ maxMessageBytes: 512, maxMetricsReplyBytes: 1024 });
  c.worker('{"type":"supervisor:listen","v":1,"id":1,"address":{"kind":"tcp","host":"","port":3000,"index":0}}\n');
  c.worker('{"type":"supervisor:listen","v":1,"id":2,"address":{"kind":"unix","path":"/run/a.sock"}}\n');
  assert.deepEqual(c.got, [
    { type: 'supervisor:listen', v: 1, id: 1, address: { kind: 'tcp', host: '', port: 3000, index: 0 } },
    { type: 'supervisor:listen', v: 1, id: 2, address: { kind: 'unix', path: '/run/a.sock' } },
  ]);
  for (const bad of [
    '{"type":"supervisor:listen","v":1,"address":{"kind":"tcp","host":"","port":3000,"index":0}}',
    '{"type":"supervisor:listen","v":1,"id":3,"address":{"kind":"tcp","host":"","port":65536,"index":0}}',
    '{"type":"supervisor:listen","v":1,"id":3,"address":{"kind":"tcp","host":"","port":80,"index":99}}',
    '{"type":"supervisor:listen","v":1,"id":3,"address":{"kind":"tcp","host":"a b","port":80,"index":0}}',
    `{"type":"supervisor:listen","v":1,"id":3,"address":{"kind":"unix","path":"/${'x'.repeat(120)}"}}`,
    '{"type":"supervisor:listen","v":1,"id":3,"address":{"kind":"unix","path":"/a\\u0000b"}}',
    '{"type":"supervisor:listen","v":1,"id":3,"address":{"kind":"udp","port":53}}',
  ]) {
    const b = channel({ maxMessageBytes: 512, maxMetricsReplyBytes: 1024 });
    b.worker(bad + '\n');
    assert.deepEqual(b.broken, ['supervisor:listen message without an id and a valid address'], bad);
  }
});

test('cluster mode: Node\'s handle acknowledgements go to their hook, never to the master\'s loop', () => {
  const socket = new PassThrough();
  const acks: boolean[] = [];
  const got: unknown[] = [];
  new MasterChannel(socket, { message: (m) => got.push(m), broken: () => assert.fail('not broken'), handleAck: (ok) => acks.push(ok) });
  socket.emit('data', Buffer.from('{"cmd":"NODE_HANDLE_ACK"}\n{"cmd":"NODE_HANDLE_NACK"}\n'));
  assert.deepEqual(acks, [true, false]);
  assert.deepEqual(got, []);
});

test('cluster mode: while a courier writes on the socket the master\'s own messages wait, in order, then go', () => {
  const c = channel();
  c.ch.send({ type: 'supervisor:shutdown', v: 1 });
  assert.equal(c.sent.length, 1);
  c.ch.hold();
  assert.equal(c.ch.flushed(), false, 'not flushed while held');
  c.ch.send({ type: 'supervisor:metrics-request', v: 1, id: 1 });
  c.ch.send({ type: 'supervisor:shutdown', v: 1 });
  assert.equal(c.sent.length, 1, 'nothing written while held');
  c.ch.release();
  assert.deepEqual(c.sent.slice(1).map((l) => JSON.parse(l).type), ['supervisor:metrics-request', 'supervisor:shutdown']);
});
