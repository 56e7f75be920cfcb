import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { LoadResult } from '../../../src/config/load-isolated.js';
import { reuseUnchangedJson } from '../../../src/config/reuse-json.js';
import type { Config } from '../../../src/config/types.js';
import { tempDir } from '../../helpers/config.js';

const LONG_AGO = new Date(Date.now() - 3600_000);
const signal = new AbortController().signal;

function setup(insecure = false) {
  const dir = tempDir();
  chmodSync(dir, 0o700);
  const script = path.join(dir, 'app.js');
  writeFileSync(script, '');
  utimesSync(script, LONG_AGO, LONG_AGO);
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, '{"apps":[{"name":"web","script":"app.js"}]}', { mode: 0o600 });
  const loads: string[] = [];
  const load = reuseUnchangedJson(async (f) => {
    loads.push(f);
    return { ok: true, config: { apps: [{ name: 'web', script, cwd: dir }] } as unknown as Config } satisfies LoadResult;
  }, insecure);
  return { dir, script, file, loads, read: (f = file, env: string | null = null) => load(f, { env, signal }) };
}

test('an unchanged JSON file is not loaded again: the same validated config comes back', async () => {
  const { loads, read } = setup();
  const first = await read();
  const second = await read();
  assert.equal(loads.length, 1);
  assert.ok(first.ok && second.ok && first.config === second.config);
});

test('changed bytes, another --env name, a touched script: loaded again', async () => {
  const { file, script, loads, read } = setup();
  await read();
  writeFileSync(file, '{"apps":[{"name":"web","script":"app.js","instances":2}]}');
  await read();
  assert.equal(loads.length, 2, 'the bytes changed');
  await read(file, 'production');
  assert.equal(loads.length, 3, 'another env block');
  writeFileSync(script, 'console.log(2)');
  utimesSync(script, new Date(Date.now() - 600_000), new Date(Date.now() - 600_000));
  await read();
  assert.equal(loads.length, 4, 'the script changed (size, mtime)');
  await read();
  assert.equal(loads.length, 4, 'and kept again');
  unlinkSync(script);
  await read();
  assert.equal(loads.length, 5, 'the script is gone: the loader says so');
});

test('a script modified just before a load is not trusted to be what the loader read', async () => {
  const { script, loads, read } = setup();
  utimesSync(script, new Date(), new Date());
  await read();
  await read();
  assert.equal(loads.length, 2);
});

test('JavaScript configs are always loaded; so is a JSON file others may write, and one a symlink now points elsewhere', async () => {
  const { dir, loads, read } = setup();
  const js = path.join(dir, 'ecosystem.config.js');
  writeFileSync(js, 'module.exports = { apps: [] }');
  await read(js);
  await read(js);
  assert.equal(loads.length, 2, 'a JS config may compute values');

  const other = setup();
  await other.read();
  chmodSync(other.file, 0o666);
  await other.read();
  assert.equal(other.loads.length, 2, 'an untrusted file goes to the loader, which refuses it');

  const linked = setup();
  const a = path.join(linked.dir, 'a');
  const b = path.join(linked.dir, 'b');
  for (const d of [a, b]) {
    mkdirSync(d);
    writeFileSync(path.join(d, 'ecosystem.json'), '{"apps":[]}');
  }
  const current = path.join(linked.dir, 'current.json');
  symlinkSync(path.join(a, 'ecosystem.json'), current);
  await linked.read(current);
  unlinkSync(current);
  symlinkSync(path.join(b, 'ecosystem.json'), current);
  await linked.read(current);
  assert.equal(linked.loads.length, 2, 'same bytes, another real file');
});

test('a FIFO in place of the file never blocks: the loader gets it', async () => {
  const { dir, loads, read } = setup();
  const fifo = path.join(dir, 'fifo.json');
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [fifo], { timeout: 5000 });
  await read(fifo);
  assert.equal(loads.length, 1);
});
