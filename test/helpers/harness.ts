// The sandbox around every test: each test gets a marker in the environment of everything it
// spawns (GS_TEST_ID), its own temp dir under the run's root (TMPDIR points there), and a
// signal that ends its waits and loops. When the test ends (pass, fail or timeout), every
// process of this test file still alive is SIGKILLed, with the process groups it created,
// and its temp dir is removed. See test/README.md.
import { after, afterEach, beforeEach } from 'node:test';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describeProcesses, killMarked, markedProcesses, RUN_KEY, startingWith, TEST_KEY } from './proc-marker.js';
import { stat } from './procs.js';

const SOLO = process.env[RUN_KEY] === undefined;
// The run this file belongs to; a file run by hand is a run of its own.
const RUN = process.env[RUN_KEY] ?? `solo-${process.pid}`;
// Where every temp dir of the run lives (scripts/run-tests.mjs checks it is empty at the end).
const ROOT = process.env.GS_TEST_ROOT ?? path.join(os.tmpdir(), `gs-run-${RUN}`);
// Every process this test file started carries a GS_TEST_ID starting with this.
const OF_FILE = startingWith(`${RUN}:${process.pid}:`);

// Mount points at or under `dir` (a test may mount a tmpfs in its temp dir).
function mountsUnder(dir: string): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const points = text.split('\n').map((l) => (l.split(' ')[1] ?? '').replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  return points.filter((p) => p === dir || p.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

// Kills the process groups this file created that still hold one of its marked processes
// (a group id alone could have been reused by someone else's process).
function killGroups(groups: ReadonlySet<number>): void {
  const live = new Set(markedProcesses(TEST_KEY, OF_FILE).map((p) => stat(p.pid)?.pgrp));
  for (const pgid of groups) {
    if (!live.has(pgid)) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
}

// One test's marker, temp dir, process groups and end signal.
class TestScope {
  readonly id: string;
  readonly dir: string;
  readonly signal: AbortSignal;
  readonly groups = new Set<number>();
  private readonly controller = new AbortController();

  constructor(n: number, testSignal?: AbortSignal) {
    this.id = `${RUN}:${process.pid}:${n}`;
    this.dir = path.join(ROOT, `${process.pid}-${n}`);
    this.signal = testSignal ? AbortSignal.any([this.controller.signal, testSignal]) : this.controller.signal;
  }

  // Ends the test: stops its waits, kills what this file still runs, removes the temp dir.
  // Returns notes on what had to be killed; throws when something would not die.
  async close(): Promise<string[]> {
    this.controller.abort(new Error('the test ended'));
    killGroups(this.groups);
    const { killed, survivors } = await killMarked(TEST_KEY, OF_FILE);
    for (const point of mountsUnder(this.dir)) spawnSync('umount', ['-l', point]);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
    if (survivors.length) throw new Error(`processes of this test would not die:\n${describeProcesses(survivors)}`);
    return killed.length ? [`the harness killed ${killed.length} process(es) left running:\n${describeProcesses(killed)}`] : [];
  }
}

const fileScope = new TestScope(0);
let current = fileScope;
let tests = 0;

function enter(scope: TestScope): void {
  current = scope;
  mkdirSync(scope.dir, { recursive: true });
  process.env[RUN_KEY] = RUN;
  process.env[TEST_KEY] = scope.id;
  process.env.TMPDIR = scope.dir;
}

enter(fileScope);
beforeEach((t) => enter(new TestScope(++tests, t.signal)));
afterEach(async (t) => {
  const scope = current;
  enter(fileScope);
  for (const note of await scope.close()) {
    if ('diagnostic' in t) t.diagnostic(note);
    else process.stderr.write(`# ${note}\n`);
  }
});
after(async () => {
  for (const note of await fileScope.close()) process.stderr.write(`# ${note}\n`);
  if (SOLO) rmSync(ROOT, { recursive: true, force: true });
});

// The current test's temp dir (also its TMPDIR): everything in it is removed when it ends.
export const scratch = (): string => current.dir;

// Aborted when the current test ends or times out: bound loops and waits with it.
export const testSignal = (): AbortSignal => current.signal;

// Records a process group the current test created, to kill it when the test ends.
export function trackGroup(pgid: number): void {
  current.groups.add(pgid);
}
