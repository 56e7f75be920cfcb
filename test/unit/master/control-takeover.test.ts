// A master that replaces a live one (`supervisor upgrade`) listens beside the control socket
// and moves onto its path with publish(): before, clients reach the old master; after, the
// new one; the path never names no one. The old master abandons its socket without closing
// it (closing would unlink the path, which is the new master's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startControlServer } from '../../../src/master/control-server.js';
import { request } from '../../../src/cli/control-client.js';
import { tempDir } from '../../helpers/config.js';

const who = (name: string) => ({ ping: async () => ({ ok: true, data: { who: name } }) });

test('publish moves the control socket to the new master; the old one abandons its own without unlinking the path', async () => {
  const dir = tempDir();
  const sock = path.join(dir, 'supervisor.sock');
  const old = await startControlServer(sock, who('old'));
  const fresh = await startControlServer(sock, who('new'), { replace: true });
  try {
    assert.deepEqual((await request(sock, 'ping')).data, { who: 'old' }, 'before publish, the path is the old master\'s');
    assert.ok(existsSync(`${sock}.${process.pid}`), 'the new master listens beside it');
    fresh.publish();
    assert.deepEqual((await request(sock, 'ping')).data, { who: 'new' });
    assert.deepEqual(readdirSync(dir), ['supervisor.sock']);
    old.abandon();
    assert.deepEqual((await request(sock, 'ping')).data, { who: 'new' }, 'abandoning does not touch the path');
  } finally {
    await fresh.close();
  }
  assert.ok(!existsSync(sock), 'the new master removes the path it published when it closes');
});

test('a replacing server that never publishes leaves the path to the old master and removes its own socket on close', async () => {
  const dir = tempDir();
  const sock = path.join(dir, 'supervisor.sock');
  const old = await startControlServer(sock, who('old'));
  const fresh = await startControlServer(sock, who('new'), { replace: true });
  await fresh.close();
  try {
    assert.deepEqual(readdirSync(dir), ['supervisor.sock']);
    assert.deepEqual((await request(sock, 'ping')).data, { who: 'old' });
  } finally {
    await old.close();
  }
});
