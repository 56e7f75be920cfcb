// exec_mode as PM2 decides it (src/config/exec-mode.ts): asked for, implied by `instances` on a
// Node.js script, kept off by `listen`, and fork mode with a warning where it cannot be had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/types.js';
import { tempDir } from '../../helpers/config.js';

async function load(apps: unknown[]): Promise<Config> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'app.js'), '');
  writeFileSync(path.join(dir, 'www'), '#!/usr/bin/env node\n');
  writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'www'), 0o755);
  chmodSync(path.join(dir, 'run.sh'), 0o755);
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, JSON.stringify({ apps }));
  return loadConfig(file);
}

const modes = (c: Config) => Object.fromEntries(c.apps.map((a) => [a.name, a.exec_mode]));

test('"cluster" and "cluster_mode" ask for cluster mode; "fork" and "fork_mode" are accepted without a warning', async () => {
  const c = await load([
    { name: 'a', script: 'app.js', exec_mode: 'cluster' },
    { name: 'b', script: 'app.js', exec_mode: 'cluster_mode', instances: 4 },
    { name: 'c', script: 'app.js', exec_mode: 'fork', instances: 4 },
    { name: 'd', script: 'app.js', exec_mode: 'fork_mode' },
  ]);
  assert.deepEqual(modes(c), { a: 'cluster', b: 'cluster', c: 'fork', d: 'fork' });
  assert.deepEqual(c.warnings, []);
});

test('PM2\'s rule: `instances` on a Node.js script without exec_mode means cluster mode, unless `listen` is set', async () => {
  const c = await load([
    { name: 'one', script: 'app.js', instances: 1 },
    { name: 'max', script: 'app.js', instances: 'max' },
    { name: 'str', script: 'app.js', instances: '2' },
    { name: 'minus', script: 'app.js', instances: -2 },
    { name: 'none', script: 'app.js' },
    { name: 'listen', script: 'app.js', instances: 2, listen: 'unix:a.sock' },
    { name: 'both', script: 'app.js', instances: 2, listen: 'unix:b.sock', exec_mode: 'cluster' },
    { name: 'shell', script: 'run.sh', instances: 2 },
  ]);
  assert.deepEqual(modes(c), { one: 'cluster', max: 'cluster', str: 'cluster', minus: 'cluster', none: 'fork', listen: 'fork', both: 'cluster', shell: 'fork' });
  assert.deepEqual(c.warnings, [], 'an implied cluster mode that cannot be had is fork mode, silently, as in PM2');
});

test('an executable script whose #! line is node runs with node in cluster mode (express-generator\'s bin/www)', async () => {
  const c = await load([{ name: 'www', script: './www', exec_mode: 'cluster' }, { name: 'fork', script: './www' }]);
  assert.equal(c.apps[0]!.exec_mode, 'cluster');
  assert.match(c.apps[0]!.interpreter ?? '', /node$/);
  assert.equal(c.apps[1]!.interpreter, null, 'in fork mode the script still runs itself');
});

test('cluster mode asked for a program that is not Node.js runs in fork mode, with one warning naming the path', async () => {
  const c = await load([
    { name: 'npm', script: 'npm', args: 'start', exec_mode: 'cluster', instances: 2 },
    { name: 'sh', script: 'run.sh', exec_mode: 'cluster' },
    { name: 'py', script: 'app.js', interpreter: 'python3', exec_mode: 'cluster' },
  ]);
  assert.deepEqual(modes(c), { npm: 'fork', sh: 'fork', py: 'fork' });
  assert.deepEqual(c.warnings?.map((w) => w.path), ['apps[0].exec_mode', 'apps[1].exec_mode', 'apps[2].exec_mode']);
  assert.match(c.warnings![0]!.message, /"cluster" is for Node\.js scripts and "npm" is not a Node\.js script: it runs in fork mode/);
  assert.match(c.warnings![2]!.message, /"app\.js" runs with python3/);
});

test('a wrong exec_mode is an error naming the path and the values expected', async () => {
  await assert.rejects(load([{ name: 'a', script: 'app.js', exec_mode: 'clustered' }]), /apps\[0\]\.exec_mode: expected "fork" or "cluster"/);
});
