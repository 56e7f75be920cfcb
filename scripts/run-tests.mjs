#!/usr/bin/env node
// Runs the compiled tests with node's test runner, then checks that the run left nothing
// behind. `--chaos` runs only the long chaos suite (CHAOS_FULL=1); without it, every
// *.test.js runs, chaos included in its short form. Test files given as arguments run alone:
//   node scripts/run-tests.mjs dist/test/e2e/daemon.test.js
//
// Every process the tests start carries GS_TEST_RUN=<this run> in its environment, and every
// temp dir lives under one root (TMPDIR for the tests). The run FAILS if, once the tests are
// done, a process of this run is alive or the root is not empty; both are printed, then
// killed and removed. Other runs on the same machine (other ids) are never touched.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeProcesses, killMarked, markedProcesses, ofRun, RUN_KEY, TEST_KEY } from '../dist/test/helpers/proc-marker.js';

const chaos = process.argv.includes('--chaos');
const dist = path.resolve('dist/test');
// The whole run is killed past this (a test that blocks its event loop cannot time out).
const WATCHDOG_MS = Number(process.env.GS_TEST_WATCHDOG_MS ?? 15 * 60_000);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? find(p) : name.endsWith('.test.js') ? [p] : [];
  });
}

// A run started by a test of another run is nested in it (its id extends the outer one).
const run = `${process.env[RUN_KEY] ? `${process.env[RUN_KEY]}-` : ''}${Date.now().toString(36)}${process.pid.toString(36)}`;
const root = path.join(os.tmpdir(), `gs-run-${run}`);
mkdirSync(root, { mode: 0o755 });

const given = process.argv.slice(2).filter((a) => /\.m?js$/.test(a)).map((f) => path.resolve(f));
const files = given.length ? given : find(chaos ? path.join(dist, 'chaos') : dist).sort();
const env = {
  ...process.env,
  ...(chaos ? { CHAOS_FULL: '1' } : {}),
  [RUN_KEY]: run,
  GS_TEST_ROOT: root,
  TMPDIR: root,
  // Shebangs (`#!/usr/bin/env node`) and `npx` find the node that runs the tests.
  PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
};
delete env[TEST_KEY];
delete env.NODE_TEST_CONTEXT; // set when a test runs this script: node --test would then skip the files
const args = ['--test', `--test-concurrency=${chaos ? 1 : 2}`, '--test-force-exit', '--test-timeout=180000', '--test-reporter=spec', ...files];
process.stdout.write(`# node ${process.version} (${process.execPath}), run ${run}, temp root ${root}\n`);

const t0 = Date.now();
const child = spawn(process.execPath, args, { stdio: 'inherit', env });
let stopping = null;
const stop = (why) => {
  stopping ??= why;
  child.kill('SIGKILL');
};
const watchdog = setTimeout(() => stop(`the run took longer than ${WATCHDOG_MS / 1000} s`), WATCHDOG_MS);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(`interrupted by ${sig}`));
const status = await new Promise((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 1 : 0))));
clearTimeout(watchdog);
const seconds = ((Date.now() - t0) / 1000).toFixed(1);

// Processes of this run that are dying may take a moment to go; the ones left are leaks.
const problems = [];
let left = markedProcesses(RUN_KEY, ofRun(run));
for (let i = 0; i < 60 && left.length; i++) {
  await sleep(50);
  left = markedProcesses(RUN_KEY, ofRun(run));
}
if (left.length) {
  problems.push(`${left.length} process(es) of this run still alive after the tests:\n${describeProcesses(left)}`);
  const { survivors } = await killMarked(RUN_KEY, ofRun(run));
  if (survivors.length) problems.push(`and these would not die:\n${describeProcesses(survivors)}`);
}

// The temp root must be empty: every test removed its own dir.
const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((p) => p.startsWith(`${root}/`));
for (const point of mounts.sort((a, b) => b.length - a.length)) spawnSync('umount', ['-l', point]);
const leftovers = existsSync(root) ? readdirSync(root) : [];
if (leftovers.length) {
  const listing = leftovers.slice(0, 20).map((name) => {
    const p = path.join(root, name);
    const inside = statSync(p).isDirectory() ? readdirSync(p).slice(0, 8).join(', ') : '';
    return `  ${p}${inside ? `: ${inside}` : ''}`;
  });
  problems.push(`${leftovers.length} temp entr${leftovers.length === 1 ? 'y' : 'ies'} left under ${root}:\n${listing.join('\n')}`);
}
if (mounts.length) problems.push(`mounts left under ${root}:\n  ${mounts.join('\n  ')}`);
rmSync(root, { recursive: true, force: true, maxRetries: 3 });

if (stopping) problems.unshift(`the run was stopped: ${stopping}`);
if (problems.length) {
  process.stdout.write(`\n# FAILED the leak check of run ${run} (${seconds} s):\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`# run ${run}: tests ${status === 0 ? 'passed' : 'FAILED'} in ${seconds} s on node ${process.version}; no process and no temp folder left\n`);
process.exit(status);
