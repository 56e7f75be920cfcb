// `supervisor check`: no master needed; exit 2 with every problem printed, exit 0 with a
// one-line summary of what would run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';

const check = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SUPERVISOR_HOME: tempDir('gs-nohome-') } });

test('check prints a one-line summary and exits 0 on a valid file, honouring --env', () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'web', script: fixture('sleeper.sh'), instances: 3, env_production: { A: '1' } }, { name: 'jobs', script: fixture('job-worker.mjs') }] });
  const r = check(file);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${file}: ok: would run 2 app(s): web x3, jobs x1\n`);
  const p = check(file, '--env', 'production');
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /would run 2 app\(s\): web x3, jobs x1 \(env production\)/);
  assert.equal(check(file, '--env', 'staging').status, 2);
  const warned = writeConfig(dir, { apps: [{ name: 'web', script: fixture('sleeper.sh'), vizion: true }] }, 'pm2.json');
  const w = check(warned);
  assert.equal(w.status, 0, w.stderr);
  assert.match(w.stderr, /^warning: .*pm2\.json: apps\[0\]\.vizion: PM2 key "vizion" is not supported and is ignored: remove it/);
});

test('check prints every problem and exits 2 on an invalid file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'a', script: 'nope.js', instances: -1.5, cron_restart: 'every day' }, { name: 'a/b', script: fixture('sleeper.sh'), kill_timout: 5 }] }));
  const r = check(file);
  assert.equal(r.status, 2);
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.replace(`${file}: `, '').split(':')[0]), ['apps[0].instances', 'apps[0].cron_restart', 'apps[1].name', 'apps[1].kill_timout', 'invalid']);
  assert.match(lines.at(-1)!, /invalid: 4 problems$/);
  assert.equal(r.stdout, '');
  const empty = path.join(dir, 'empty.json');
  writeFileSync(empty, '');
  const e = check(empty);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /empty\.json: file is empty/);
});
