// The master binds listening sockets through Node's internal net._createServerHandle (no
// public API holds a socket without accepting on it: docs/protocols.md). Each bind checks
// it first, so a Node that drops or changes it fails with one clear line naming the version
// instead of a TypeError deep in a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readlinkSync } from 'node:fs';
import { openListenSocket, serverHandleProblem } from '../../../src/master/listen-socket.js';
import type { ListenAddress } from '../../../src/config/types.js';
import { listeningAddresses } from '../../helpers/procs.js';

const loopback: ListenAddress = { kind: 'tcp', host: '127.0.0.1', port: 0, text: 'tcp://127.0.0.1:0' };
const internals = net as unknown as { _createServerHandle?: unknown };

// Runs `body` with net._createServerHandle replaced by `stand_in`, then puts it back.
async function withCreateServerHandle(standIn: unknown, body: () => Promise<void>): Promise<void> {
  const real = internals._createServerHandle;
  internals._createServerHandle = standIn;
  try {
    await body();
  } finally {
    internals._createServerHandle = real;
  }
}

test(`net._createServerHandle exists and binds without listening on this Node (${process.version})`, async () => {
  assert.equal(serverHandleProblem(), null);
  const before = listeningAddresses(process.pid);
  const socket = await openListenSocket(loopback);
  try {
    assert.match(readlinkSync(`/proc/self/fd/${socket.fd}`), /^socket:/);
    const added = listeningAddresses(process.pid).filter((a) => !before.includes(a));
    assert.equal(added.length, 1, 'the socket is in the LISTEN state (put there by the listen helper)');
    assert.match(added[0]!, /^127\.0\.0\.1:\d+$/);
  } finally {
    socket.close();
  }
});

test('a Node without net._createServerHandle gets a clear error naming its version', async () => {
  const version = process.version.replace(/\./g, '\\.');
  await withCreateServerHandle(undefined, async () => {
    assert.equal(serverHandleProblem(), 'net._createServerHandle is missing');
    await assert.rejects(openListenSocket(loopback), new RegExp(`^Error: cannot bind tcp://127\\.0\\.0\\.1:0: this Node\\.js \\(${version}\\) cannot bind a socket for workers without accepting on it: net\\._createServerHandle is missing\\. graceful-supervisor is tested on Node 20, 22 and 24`));
  });
});

test('a changed net._createServerHandle is caught by what it returns', async () => {
  await withCreateServerHandle(() => ({ close() {} }), async () => {
    assert.match(serverHandleProblem() ?? '', /returned a handle without fd, getsockname\(\) or close\(\)/);
    await assert.rejects(openListenSocket(loopback), /this Node\.js \(v\d+\.\d+\.\d+\)/);
  });
  await withCreateServerHandle(() => -98, async () => assert.match(serverHandleProblem() ?? '', /could not bind 127\.0\.0\.1:0 \(EADDRINUSE\)/));
  await withCreateServerHandle(() => {
    throw new TypeError('gone');
  }, async () => assert.equal(serverHandleProblem(), 'net._createServerHandle threw: gone'));
});
