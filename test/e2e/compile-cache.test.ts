// Node workers share their app's compile cache across generations (Node >= 22.1), under the home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import nodeModule from 'node:module';
import { nodeHasCompileCache } from '../../src/worker/compile-cache.js';
import { waitFor } from '../helpers/wait.js';

test('each generation of a Node app gets the app\'s compile cache folder, filled by the ones before; a NODE_COMPILE_CACHE of the app\'s own wins', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const mine = path.join(dir, 'mine');
  const file = writeConfig(dir, {
    apps: [
      { name: 'envy', script: fixture('env-reporter.mjs'), instances: 1, wait_ready: true, env: { ENV_OUT: dir } },
      { name: 'own', script: fixture('env-reporter.mjs'), instances: 1, wait_ready: true, env: { ENV_OUT: path.join(dir, 'own'), NODE_COMPILE_CACHE: mine } },
    ],
  });
  mkdirSync(path.join(dir, 'own'));
  const m = startMaster(['run', file]);
  const cache = path.join(m.home, 'compile-cache', 'envy');
  // Files only: Node makes its per-version folder as soon as a worker starts.
  const cached = () => readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'script.stamp');
  try {
    await m.waitForEvent({ event: 'app-started', app: 'envy' });
    // Node >= 22.10: an SDK worker writes the cache once ready, without waiting for its exit.
    if (typeof (nodeModule as { flushCompileCache?: unknown }).flushCompileCache === 'function') await waitFor('the first generation to write its compile cache', () => cached().length > 0, 10_000);
    m.signal('SIGHUP');
    await m.waitForEvent({ event: 'reload-done', app: 'envy', generation: 2 });
    await m.waitForEvent({ event: 'reload-done', app: 'own', generation: 2 });
    const env = (gen: number, sub = '') => JSON.parse(readFileSync(path.join(dir, sub, `0-${gen}.json`), 'utf8')) as Record<string, string | undefined>;
    assert.equal(env(1, 'own').NODE_COMPILE_CACHE, mine, "the app's own setting is left alone");
    if (!nodeHasCompileCache()) {
      assert.equal(env(1).NODE_COMPILE_CACHE, undefined, `Node ${process.version} has no compile cache: nothing is set`);
      return;
    }
    assert.equal(env(1).NODE_COMPILE_CACHE, cache);
    assert.equal(env(2).NODE_COMPILE_CACHE, cache, 'the next generation gets the same folder');
    // Node writes the cache when a worker exits: generation 1 has, during the reload.
    assert.ok(cached().length > 0, `generation 1 left its compiled modules in ${cache}`);
  } finally {
    await stopMaster(m);
  }
});
