// The listener registry with real unix sockets: binds in `listen` order, keeps sockets across
// re-applies, closes what an app dropped or a removed app held, rolls back a failed bind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ListenerRegistry } from '../../src/master/listeners.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';

const app = (name: string, listen: string[]) => ({ name, script: fixture('sleeper.sh'), listen });

function accepts(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socketPath);
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

test('sockets are bound in listen order, kept across re-applies, and closed when dropped', async () => {
  const dir = tempDir();
  const reg = new ListenerRegistry();
  try {
    const file = writeConfig(dir, { apps: [app('a', ['unix:a1.sock', 'unix:a2.sock']), app('b', ['unix:b.sock'])] });
    await reg.prepare(await loadConfig(file), null);
    const first = reg.fds('a');
    assert.equal(first.fds.length, 2);
    assert.deepEqual(first.names, ['unix-a1.sock', 'unix-a2.sock']);
    assert.ok(await accepts(path.join(dir, 'a1.sock')), 'listening without any worker');

    await reg.prepare(await loadConfig(file), null);
    assert.deepEqual(reg.fds('a').fds, first.fds, 'a re-apply keeps the same sockets');

    writeConfig(dir, { apps: [app('a', ['unix:a2.sock'])] });
    await reg.prepare(await loadConfig(file), null);
    assert.deepEqual(reg.fds('a').fds, [first.fds[1]]);
    assert.equal(existsSync(path.join(dir, 'a1.sock')), false, 'a dropped address is closed');
    assert.equal(existsSync(path.join(dir, 'b.sock')), false, "a removed app's socket is closed");
  } finally {
    reg.closeAll();
  }
  assert.equal(existsSync(path.join(dir, 'a2.sock')), false, 'closeAll closes the rest');
});

test('an address moved from one app to another keeps its socket', async () => {
  const dir = tempDir();
  const reg = new ListenerRegistry();
  try {
    const file = writeConfig(dir, { apps: [app('a', ['unix:s.sock'])] });
    await reg.prepare(await loadConfig(file), null);
    const fd = reg.fds('a').fds[0];
    writeConfig(dir, { apps: [app('b', ['unix:s.sock'])] });
    await reg.prepare(await loadConfig(file), null);
    assert.deepEqual(reg.fds('b').fds, [fd]);
  } finally {
    reg.closeAll();
  }
});

test('a failed bind names the app and address and closes what this apply opened', async () => {
  const dir = tempDir();
  const reg = new ListenerRegistry();
  try {
    const file = writeConfig(dir, { apps: [app('a', ['unix:ok.sock', 'unix:missing-dir/x.sock'])] });
    await assert.rejects(reg.prepare(await loadConfig(file), null), /app "a": cannot bind unix:missing-dir\/x\.sock: (EACCES|ENOENT)/);
    assert.equal(existsSync(path.join(dir, 'ok.sock')), false);
    assert.deepEqual(reg.fds('a').fds, []);
  } finally {
    reg.closeAll();
  }
});

test('a stale unix socket file left by a dead process is replaced', async () => {
  const dir = tempDir();
  const stale = path.join(dir, 'stale.sock');
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(stale)})`]);
  assert.ok(existsSync(stale));
  const reg = new ListenerRegistry();
  try {
    await reg.prepare(await loadConfig(writeConfig(dir, { apps: [app('a', ['unix:stale.sock'])] })), null);
    assert.ok(await accepts(stale));
  } finally {
    reg.closeAll();
  }
});
