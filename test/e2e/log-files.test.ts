// Per-app log files: each line stamped with the time and the worker id, out_file honoured,
// reopened on SIGUSR1 after a logrotate-style move, an unwritable place logged once without
// crashing the master, and `supervisor logs` printing and following them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { spawnInTest } from '../helpers/spawn.js';
import { workerLines } from '../helpers/log-events.js';

const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

// The human file format is what this test checks, so the master runs without --json-logs.
test('worker lines go to per-app files with a timestamp and worker id; SIGUSR1 reopens them', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const custom = path.join(dir, 'custom', 'chatty.out');
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), instances: 2, wait_ready: true, out_file: custom }] });
  const m = startMaster(['run', file], {}, { human: true });
  const errLog = path.join(m.home, 'logs', 'chatty-error.log');
  try {
    await m.waitForLine(/app chatty: all workers ready/);
    await m.waitForLine(/chatty#1 \| out \d+/);
    const out = await waitFor('lines of both workers in out_file', () => {
      const t = read(custom);
      return /chatty#0 \| out/.test(t) && /chatty#1 \| out/.test(t) ? t : null;
    });
    assert.match(out.split('\n')[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z chatty#[01] \| out \d+$/);
    assert.doesNotMatch(out, /err \d/, 'stderr lines do not go to the out file');
    await waitFor('stderr lines in the default error file', () => /^\S+Z chatty#\d \| err \d+$/m.test(read(errLog)));

    renameSync(custom, custom + '.1');
    renameSync(errLog, errLog + '.1');
    const rotatedSize = read(custom + '.1').length;
    m.signal('SIGUSR1');
    await waitFor('new files after the reopen', () => /chatty#\d \| out/.test(read(custom)) && /chatty#\d \| err/.test(read(errLog)));
    const count = (f: string) => read(f).split('\n').filter(Boolean).length;
    await waitFor('a few lines in the new file', () => count(custom) >= 4);
    const rotated = read(custom + '.1').length;
    const now = count(custom);
    await waitFor('more lines in the new file', () => count(custom) >= now + 4);
    assert.equal(read(custom + '.1').length, rotated, 'the rotated file is no longer written');
    assert.ok(rotated >= rotatedSize);
    assert.equal(m.count(/log file/), 0, 'no problem was logged');
  } finally {
    await stopMaster(m);
  }
});

test('a log directory that becomes unusable is logged once and does not crash the master', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const logDir = path.join(dir, 'applogs');
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), wait_ready: true, out_file: path.join(logDir, 'out.log'), error_file: path.join(logDir, 'err.log') }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'chatty' });
    // Both files open (the error file opens at the first stderr line), else one would
    // recreate the directory between the rename and the write below.
    await waitFor('lines in both files', () => read(path.join(logDir, 'out.log')).includes('out') && read(path.join(logDir, 'err.log')).includes('err'));
    renameSync(logDir, logDir + '.old');
    writeFileSync(logDir, 'not a directory'); // the log path can no longer be opened
    m.signal('SIGUSR1');
    // A plain log line: the problem (and the file it names) is in its wording.
    await m.waitForEvent({ event: 'log', level: 'warn', message: /^log file .*out\.log: cannot open: (ENOTDIR|EEXIST)/ });
    const talking = { event: 'worker-output', app: 'chatty', worker: 0, message: /^out \d+$/ };
    await m.waitForEvent(talking, { after: m.mark() }); // the worker keeps talking
    await m.waitForEvent(talking, { after: m.mark() });
    assert.equal(m.countEvents({ event: 'log', message: /log file .*out\.log/ }), 1, 'the problem is logged once, not per line');
    assert.equal((await cli(m.home, ['status'])).code, 0, 'the master still answers');
    rmSync(logDir);
    mkdirSync(logDir);
    m.signal('SIGUSR1');
    await waitFor('lines again after the next reopen', () => read(path.join(logDir, 'out.log')).includes('out'));
  } finally {
    await stopMaster(m);
  }
});

test('supervisor logs prints the last N lines and follows new ones with -f', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), wait_ready: true }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'worker-output', app: 'chatty', worker: 0, message: 'out 5' });
    const last = await cli(m.home, ['logs', 'chatty', '-n', '2']);
    assert.equal(last.code, 0, last.stderr);
    const lines = workerLines(last.stdout).filter((l) => l.app === 'chatty' && l.worker === 0);
    assert.equal(lines.filter((l) => /^out /.test(l.message)).length, 2, last.stdout);
    assert.equal(lines.filter((l) => /^err /.test(l.message)).length, 2, last.stdout);
    assert.match(last.stdout, /==> .*chatty-out\.log <==/);

    const child = spawnInTest(process.execPath, [CLI, 'logs', 'chatty', '-f', '-n', '0'], { env: { ...process.env, SUPERVISOR_HOME: m.home }, stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => seen.push(l));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('followed lines', () => workerLines(seen.join('\n')).filter((l) => l.worker === 0 && /^out \d+$/.test(l.message)).length >= 3);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  } finally {
    await stopMaster(m);
  }
});
