// Scenario I6: file descriptors the caller leaves open (`exec 300<>file` before
// `supervisor start`, or before `supervisor run`) reach neither the master nor any worker;
// a worker gets exactly fds 0-2, its listen sockets and its ready fd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { freePort } from '../helpers/http.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { statusOf } from '../helpers/control.js';
import { spawnInTest, signalGroup } from '../helpers/spawn.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { alive } from '../helpers/procs.js';
import { report } from '../helpers/chaos.js';

// fd number -> what it points to, for a live process.
function fdTable(pid: number): Map<number, string> {
  const table = new Map<number, string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      table.set(Number(fd), readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return table;
}

// Runs `supervisor <args>` from bash, which first opens fds 300 and 301 on `leak` (dash cannot).
function withLeakedFds(leak: string, home: string, args: string[]) {
  return spawnInTest('/bin/bash', ['-c', 'exec 300<>"$1" 301>>"$1"; shift; exec "$@"', 'bash', leak, process.execPath, CLI, ...args], {
    env: { ...process.env, SUPERVISOR_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function configWithListen(dir: string, port: number): string {
  return writeConfig(dir, {
    apps: [
      { name: 'plain', script: fixture('sleeper.sh'), args: [dir], instances: 2 },
      { name: 'sock', script: fixture('sleeper.sh'), args: [dir], instances: 1, listen: `tcp://127.0.0.1:${port}` },
    ],
  });
}

// Checks the master and its workers; returns what was seen, for the report.
function checkTables(master: number, leak: string): string {
  const own = fdTable(master);
  assert.ok(![...own.values()].includes(leak), `the master holds none of the caller's fds: ${JSON.stringify([...own])}`);
  const workers = workersOf(master);
  assert.equal(workers.length, 3);
  for (const w of workers) {
    const table = fdTable(w.pid);
    const expected = w.app === 'sock' ? [0, 1, 2, 3, 4] : [0, 1, 2, 3];
    assert.deepEqual([...table.keys()].sort((a, b) => a - b), expected, `${w.app}#${w.slot}: ${JSON.stringify([...table])}`);
    if (w.app === 'sock') assert.match(table.get(3)!, /^socket:/, 'fd 3: the listen socket');
    assert.match(table.get(expected.at(-1)!)!, /^(pipe|socket):/, 'the ready fd');
  }
  return `master: ${own.size} fds, none of the caller's; workers: 0-2 + ready fd (3), 0-2 + listen socket (3) + ready fd (4)`;
}

test('fds the caller leaves open reach neither the daemon nor its workers', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-chaos-fds-');
  const home = path.join(dir, 'home');
  const leak = path.join(dir, 'inherited');
  writeFileSync(leak, '');
  const file = configWithListen(dir, await freePort());
  try {
    const launcher = withLeakedFds(leak, home, ['start', file]);
    let stderr = '';
    launcher.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    assert.equal(code, 0, stderr);
    const seen = checkTables(pidfilePid(home)!, leak);
    assert.equal((await cli(home, ['stop'])).code, 0);
    report({ id: 'I6a', scenario: 'Inherited fds (daemon)', load: '3 shell workers, one with a listen socket', faults: 'exec 300<>file 301>>file before supervisor start', lost: 'none', result: seen });
  } finally {
    await killDaemon(home);
  }
});

test('fds the caller leaves open reach neither a foreground master nor its workers', { timeout: 60_000 }, async () => {
  const dir = tempDir('gs-chaos-fds-run-');
  const home = path.join(dir, 'home');
  const leak = path.join(dir, 'inherited');
  writeFileSync(leak, '');
  const file = configWithListen(dir, await freePort());
  const master = withLeakedFds(leak, home, ['run', file, '--json-logs']);
  let output = '';
  for (const stream of [master.stdout!, master.stderr!]) stream.on('data', (d) => (output = (output + d).slice(-4000)));
  try {
    await waitFor('the apps running', async () => {
      const { apps } = await statusOf(home);
      return apps.length === 2 && apps.every((a) => a.status === 'running' && a.workers.every((w) => w.state === 'ready'));
    }, 20_000, 100);
    const seen = checkTables(master.pid!, leak);
    report({ id: 'I6b', scenario: 'Inherited fds (supervisor run)', load: '3 shell workers, one with a listen socket', faults: 'exec 300<>file 301>>file before supervisor run', lost: 'none', result: seen });
  } finally {
    signalGroup(master, 'SIGTERM');
    await waitFor('the master gone', () => !alive(master.pid!), 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; its output:\n${output}`);
    });
  }
});
