import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppSpec } from '../../../src/config/types.js';
import { compileCacheEnv, nodeHasCompileCache } from '../../../src/worker/compile-cache.js';
import { tempDir } from '../../helpers/config.js';

const NEW = '22.1.0';
function setup(extra: Partial<AppSpec> = {}) {
  const dir = tempDir();
  const script = path.join(dir, 'app.js');
  writeFileSync(script, 'console.log(1)\n');
  const root = path.join(dir, 'home', 'compile-cache');
  const spec = { name: 'web', script, interpreter: 'node', env: {}, ...extra } as AppSpec;
  return { dir, script, root, spec };
}

test('Node >= 22.1 has the compile cache; 20 and 22.0 do not', () => {
  assert.deepEqual(['20.19.0', '22.0.0', '22.1.0', '22.23.3', '24.0.0', '25.1.0'].map(nodeHasCompileCache), [false, false, true, true, true, true]);
});

test('a Node worker gets a private folder per app, kept while the script is the same', () => {
  const { root, spec } = setup();
  const env = compileCacheEnv(root, spec, false, {}, NEW);
  assert.deepEqual(env, { NODE_COMPILE_CACHE: path.join(root, 'web') });
  assert.equal(statSync(env.NODE_COMPILE_CACHE!).mode & 0o777, 0o700);
  writeFileSync(path.join(env.NODE_COMPILE_CACHE!, 'entry'), 'cached code');
  assert.deepEqual(compileCacheEnv(root, spec, false, {}, NEW), env, 'the next generation gets the same folder');
  assert.ok(existsSync(path.join(env.NODE_COMPILE_CACHE!, 'entry')), 'and what was cached in it');
});

test('a changed script empties the folder', () => {
  const { root, spec, script } = setup();
  const dir = compileCacheEnv(root, spec, false, {}, NEW).NODE_COMPILE_CACHE!;
  writeFileSync(path.join(dir, 'entry'), 'cached code');
  writeFileSync(script, 'console.log("version 2")\n');
  assert.equal(compileCacheEnv(root, spec, false, {}, NEW).NODE_COMPILE_CACHE, dir);
  assert.deepEqual(readdirSync(dir), ['script.stamp'], 'only the new stamp is left');
});

test('no cache: an older Node, not a node worker, the user chose, another user, or a missing script', () => {
  const { root, spec } = setup();
  assert.deepEqual(compileCacheEnv(root, spec, false, {}, '20.19.0'), {});
  assert.deepEqual(compileCacheEnv(root, { ...spec, interpreter: 'python3' }, false, {}, NEW), {});
  assert.deepEqual(compileCacheEnv(root, { ...spec, interpreter: null }, false, {}, NEW), {});
  assert.deepEqual(compileCacheEnv(root, { ...spec, env: { NODE_COMPILE_CACHE: '/x' } }, false, {}, NEW), {});
  assert.deepEqual(compileCacheEnv(root, spec, false, { NODE_DISABLE_COMPILE_CACHE: '1' }, NEW), {});
  assert.deepEqual(compileCacheEnv(root, spec, true, {}, NEW), {});
  assert.deepEqual(compileCacheEnv(root, { ...spec, script: path.join(root, 'gone.js') }, false, {}, NEW), {});
  assert.equal(existsSync(root), false, 'nothing was made for any of them');
});
