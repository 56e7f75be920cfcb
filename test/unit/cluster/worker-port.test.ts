// The master's side of one cluster-mode worker's listen requests (src/cluster/worker-port.ts),
// with a fake binder: the rights of a worker that runs as another user, the caps on waiting
// and lifetime requests, and one answer per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { normalizeApp } from '../../../src/config/normalize.js';
import type { AppInput } from '../../../src/config/schema.js';
import { BindError } from '../../../src/master/listen-socket.js';
import { ClusterPort, MAX_QUEUED_REQUESTS, MAX_REQUESTS_PER_WORKER, type ClusterBinder } from '../../../src/cluster/worker-port.js';
import type { ClusterAddress, ListenRequestMessage, MasterToWorker } from '../../../src/protocol/ipc.js';

function port(input: Partial<AppInput>, binder: ClusterBinder) {
  const spec = normalizeApp({ name: 'web', script: 'app.js', exec_mode: 'cluster', ...input }, '/srv', 'apps[0]', []);
  const sent: MasterToWorker[] = [];
  const p = new ClusterPort({
    spec,
    binder,
    link: { socket: new Socket(), flushed: () => true, hold: () => undefined, release: () => undefined },
    send: (m) => sent.push(m),
    report: () => undefined,
  });
  return { p, sent };
}

let id = 0;
const ask = (address: ClusterAddress): ListenRequestMessage => ({ type: 'supervisor:listen', v: 1, id: ++id, address });
const tcp = (p: number): ClusterAddress => ({ kind: 'tcp', host: '', port: p, index: 0 });
const codes = (sent: MasterToWorker[]) => sent.map((m) => (m.type === 'supervisor:listen-error' ? m.code : m.type));
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a worker that runs as another user gets no port below 1024 and no unix path; other ports go to the binder', async () => {
  const asked: ClusterAddress[] = [];
  const { p, sent } = port({ uid: 'nobody' }, { acquire: async (_app, a) => (asked.push(a), Promise.reject(new BindError('listen EADDRINUSE: held', 'EADDRINUSE'))) });
  p.request(ask(tcp(80)));
  p.request(ask({ kind: 'unix', path: '/run/x.sock' }));
  p.request(ask(tcp(8080)));
  await settle();
  assert.deepEqual(codes(sent), ['EACCES', 'EACCES', 'EADDRINUSE']);
  assert.match((sent[0] as { message: string }).message, /runs as another user \(uid\/gid\).*set "listen" instead/);
  assert.deepEqual(asked, [tcp(8080)]);
});

test('at most MAX_QUEUED_REQUESTS wait; more are refused at once with EAGAIN; close() drops the rest unanswered', async () => {
  const { p, sent } = port({}, { acquire: () => new Promise(() => undefined) });
  for (let i = 0; i < MAX_QUEUED_REQUESTS + 3; i++) p.request(ask(tcp(3000 + i)));
  await settle();
  assert.deepEqual(codes(sent), ['EAGAIN', 'EAGAIN'], 'one being served, MAX_QUEUED_REQUESTS waiting, two refused');
  p.close();
  p.request(ask(tcp(4000)));
  await settle();
  assert.equal(sent.length, 2, 'nothing is answered once the worker is gone');
});

test('a worker makes at most MAX_REQUESTS_PER_WORKER requests in its life; each gets exactly one answer', async () => {
  const { p, sent } = port({}, { acquire: async () => Promise.reject(new BindError('listen: no', 'EADDRNOTAVAIL')) });
  for (let i = 0; i < MAX_REQUESTS_PER_WORKER + 2; i++) {
    p.request(ask(tcp(3000)));
    await settle();
  }
  assert.equal(sent.length, MAX_REQUESTS_PER_WORKER + 2);
  assert.deepEqual(codes(sent).slice(-3), ['EADDRNOTAVAIL', 'EMFILE', 'EMFILE']);
  const ids = sent.map((m) => (m as { id: number }).id);
  assert.equal(new Set(ids).size, ids.length, 'one answer per request');
});
