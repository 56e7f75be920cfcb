// `supervisor startup systemd`: the unit it writes passes `systemd-analyze verify`, and its
// timeouts follow the config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, fixture } from '../helpers/paths.js';
import { tempDir, writeConfig } from '../helpers/config.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
const hasVerify = spawnSync('systemd-analyze', ['--version']).status === 0;

// A config in a directory whose name needs quoting and escaping in a unit file.
function awkwardConfig(): string {
  const dir = path.join(tempDir(), 'my apps 100%');
  mkdirSync(dir);
  // reload_surge 2: one batch, whatever the machine's default surge (half its CPUs).
  return writeConfig(dir, { apps: [{ name: 'jobs', script: fixture('job-worker.mjs'), instances: 2, reload_surge: 2, kill_timeout: '45s', listen_timeout: '5s' }] });
}

test('the printed unit runs `supervisor run` with Type=exec, reloads with `supervisor reload`, and derives its timeouts', () => {
  const r = cli('startup', 'systemd', awkwardConfig());
  assert.equal(r.status, 0, r.stderr);
  const keys = Object.fromEntries(r.stdout.split('\n').filter((l) => /^[A-Za-z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(keys.Type, 'exec');
  assert.equal(keys.KillMode, 'mixed');
  assert.equal(keys.TimeoutStopSec, '55', 'kill_timeout 45s + 10s margin');
  assert.equal(keys.TimeoutStartSec, '60', 'listen_timeout 5s + kill_timeout 45s + 10s margin');
  assert.match(keys.ExecStart!, / run "\/.*\/my apps 100%%\/ecosystem.json"$/);
  assert.match(keys.ExecReload!, / reload$/);
  assert.equal(keys.Environment, 'SUPERVISOR_HOME=/var/lib/supervisor');
  assert.equal(keys.StateDirectory, 'supervisor');
});

test('--install writes <unit-dir>/<name>.service, and systemd-analyze verify accepts it', { skip: !hasVerify && 'systemd-analyze is not installed' }, () => {
  const unitDir = tempDir();
  const r = cli('startup', 'systemd', awkwardConfig(), '--install', '--unit-dir', unitDir, '--name', 'gs-jobs', '--user', 'www-data', '--home', '/srv/gs home');
  assert.equal(r.status, 0, r.stderr);
  const file = path.join(unitDir, 'gs-jobs.service');
  assert.match(r.stdout, new RegExp(`wrote ${file}\nnext: systemctl daemon-reload && systemctl enable --now gs-jobs`));
  const unit = readFileSync(file, 'utf8');
  assert.match(unit, /^User=www-data$/m);
  assert.match(unit, /^Environment="SUPERVISOR_HOME=\/srv\/gs home"$/m);
  assert.doesNotMatch(unit, /StateDirectory/);
  const v = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stderr.trim(), '', 'no warning either (systemd only warns about unknown or malformed keys)');
});

test('bad input exits 2 with one clear line', () => {
  const platform = cli('startup', 'upstart', awkwardConfig());
  assert.equal(platform.status, 2);
  assert.match(platform.stderr, /unsupported platform "upstart"; expected "systemd"/);
  const dir = tempDir();
  const config = cli('startup', 'systemd', writeConfig(dir, { apps: [{ name: 'x', script: 'x.js', kill_timeout: 'soon' }] }));
  assert.equal(config.status, 2);
  assert.match(config.stderr, /ecosystem.json: apps\[0\]\.kill_timeout: expected a duration/);
  const name = cli('startup', 'systemd', awkwardConfig(), '--name', 'a b');
  assert.equal(name.status, 2);
  assert.match(name.stderr, /--name "a b": expected/);
});
