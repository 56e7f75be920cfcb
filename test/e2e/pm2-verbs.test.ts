// The verbs PM2, supervisord and systemd users type: ls/list/ps, status <app>, describe,
// status --watch (SIGINT ends it cleanly), --version, one-line answers to unknown verbs with
// a real suggestion, and bash completion checked by sourcing it in bash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, ROOT, fixture } from '../helpers/paths.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { spawnInTest, signalGroup } from '../helpers/spawn.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';

const config = (dir: string) => writeConfig(dir, { apps: [
  { name: 'web', script: fixture('sleeper.sh'), instances: 2, env: { SECRET_TOKEN: 'hunter2', MODE: 'x' } },
  { name: 'jobs', script: fixture('sleeper.sh') },
] });

test('ls, list and ps are status; status <app> shows one app; describe shows names, pids, the last exit and logs, never env values', { timeout: 60_000 }, async () => {
  const m = startMaster(['run', config(tempDir())]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const status = await cli(m.home, ['status', '--json']);
    for (const alias of ['ls', 'list', 'ps']) {
      const r = await cli(m.home, [alias, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).apps.map((a: { name: string }) => a.name), JSON.parse(status.stdout).apps.map((a: { name: string }) => a.name));
    }
    const one = await cli(m.home, ['ls', 'jobs']);
    assert.match(one.stdout, /^jobs +0 /m);
    assert.doesNotMatch(one.stdout, /^web /m);
    const unknown = await cli(m.home, ['status', 'nope']);
    assert.equal(unknown.code, 4);
    assert.match(unknown.stderr, /^supervisor: unknown app "nope"; apps: web, jobs\n$/);

    const victim = workersOf(m.pid).find((w) => w.app === 'web' && w.slot === 1)!;
    process.kill(victim.pid, 'SIGKILL');
    await m.waitForEvent({ event: 'worker-exit', app: 'web', worker: 1, signal: 'SIGKILL' });
    const d = await cli(m.home, ['describe', 'web']);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^app: +web \(\w+, generation 1, 2 worker\(s\)\)$/m);
    assert.match(d.stdout, /^config file: .*ecosystem\.json$/m);
    assert.match(d.stdout, /^env: +MODE SECRET_TOKEN$/m);
    assert.doesNotMatch(d.stdout, /hunter2/);
    assert.match(d.stdout, /^last exit: +worker 1 \(generation 1\) exited with signal SIGKILL: crash/m);
    assert.match(d.stdout, new RegExp(`^logs: +out ${m.home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/logs/web-out\\.log$`, 'm'));
    const json = JSON.parse((await cli(m.home, ['describe', 'web', '--json'])).stdout);
    assert.deepEqual(json.spec.env_names, ['MODE', 'SECRET_TOKEN']);
    assert.equal(JSON.stringify(json).includes('hunter2'), false);
    assert.equal((await cli(m.home, ['describe', 'nope'])).code, 4);
  } finally {
    await stopMaster(m);
  }
});

test('status --watch redraws every second and exits 0 on Ctrl-C (SIGINT)', { timeout: 60_000 }, async () => {
  const m = startMaster(['run', config(tempDir())]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const watch = spawnInTest(process.execPath, [CLI, 'status', '--watch'], { env: { ...process.env, SUPERVISOR_HOME: m.home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watch.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => watch.once('close', (code) => resolve(code)));
    await waitFor('three frames', () => (out.match(/^supervisor status --watch: /gm) ?? []).length >= 3, 20_000);
    const frames = out.split(/^supervisor status --watch: .*$/m).filter((f) => f.trim());
    assert.ok(frames.every((f) => /^APP +ID +PID +STATE +GEN +UPTIME +RESTARTS +CPU +MEMORY$/m.test(f) && /^web +1 +\d+ +ready +1 /m.test(f)), out);
    signalGroup(watch, 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    assert.equal(code, 0);
  } finally {
    await stopMaster(m);
  }
});

test('--version, and unknown verbs: one line, a real suggestion, exit 2', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SUPERVISOR_HOME: tempDir('gs-nohome-') } });
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(run('--version').stdout, `${pkg.version}\n`);
  assert.equal(run('-v').stdout, `${pkg.version}\n`);
  for (const [typo, suggestion] of [['stauts', 'status'], ['relaod', 'reload'], ['delet', 'delete'], ['lsit', 'list'], ['kill', 'stop'], ['jlist', 'status --json'], ['info', 'describe'], ['monitor', 'monit'], ['rm', 'delete'], ['tail', 'logs']]) {
    const r = run(typo!);
    assert.equal(r.status, 2, typo);
    assert.equal(r.stderr, `supervisor: unknown command "${typo}"; did you mean "supervisor ${suggestion}"?\n`);
  }
  const far = run('xyzzy');
  assert.equal(far.status, 2);
  assert.match(far.stderr, /^supervisor: unknown command "xyzzy"; the commands are: run, status, .*\(supervisor --help\)\n$/);
  assert.equal(run('ls', '--help').status, 0, 'ls is a verb (status), not a typo of logs');
});

test('bash completion: sourced in bash, compgen gives the verbs, options and the running master\'s apps', { timeout: 60_000 }, async () => {
  const m = startMaster(['run', config(tempDir())]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    const complete = (words: string[]) => {
      const script = `supervisor() { ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"; }
source <(supervisor completion bash)
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}
_supervisor; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, SUPERVISOR_HOME: m.home } });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split('\n').filter(Boolean).sort();
    };
    assert.deepEqual(complete(['supervisor', 'st']), ['start', 'startup', 'status', 'stop']);
    assert.deepEqual(complete(['supervisor', 'l']), ['list', 'logs', 'ls']);
    assert.deepEqual(complete(['supervisor', 'stop', '']), ['jobs', 'web']);
    assert.deepEqual(complete(['supervisor', 'status', '--j']), ['--json']);
    assert.deepEqual(complete(['supervisor', 'completion', '']), ['bash', 'zsh']);
    const zsh = spawnSync(process.execPath, [CLI, 'completion', 'zsh'], { encoding: 'utf8', timeout: 30_000 });
    assert.match(zsh.stdout, /^#compdef supervisor\n/);
    assert.match(zsh.stdout, /'describe:Show one app in full'/);
  } finally {
    await stopMaster(m);
  }
});
