// The test harness itself: what a test leaves behind is killed and removed when it ends, a
// loop bounded by the test stops when it times out, and the run's final check fails a run
// that got around the per-test cleanup, naming what was left (then cleans it up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/config.js';
import { scratch } from '../helpers/harness.js';
import { alive } from '../helpers/procs.js';
import { killMarked, ofRun, RUN_KEY, TEST_KEY } from '../helpers/proc-marker.js';

// Runs `args` with node outside this test's marker (a run of its own, nested in this one);
// resolves with its exit code and output.
function runNested(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const clean = { ...process.env, ...env };
  delete clean[TEST_KEY];
  delete clean.NODE_TEST_CONTEXT; // else node --test in a test file skips its files
  const child = spawn(process.execPath, args, { cwd: ROOT, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, output });
  }));
}

const facts = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []);

test('when a test ends its processes are killed (groups, plain children, setsid daemons), its temp dir removed, its loops stopped', { timeout: 60_000 }, async () => {
  const run = `${process.env[RUN_KEY]}-leaky${Date.now()}`;
  const root = tempDir('gs-nested-root-');
  const report = path.join(scratch(), 'leaks.jsonl');
  try {
    const r = await runNested(['--test', '--test-force-exit', '--test-reporter=spec', fixture('harness/leaky.test.mjs')], { [RUN_KEY]: run, GS_TEST_ROOT: root, LEAK_REPORT: report });
    assert.notEqual(r.code, 0, 'the test that timed out failed the nested run');
    assert.match(r.output, /test timed out after 300ms/);
    assert.match(r.output, /the harness killed \d+ process\(es\) left running/, r.output);
    const [left, loop] = facts(report);
    assert.equal((left?.pids as number[]).length, 3);
    for (const pid of left!.pids as number[]) assert.equal(alive(pid), false, `pid ${pid} was killed when its test ended`);
    assert.equal(existsSync(String(left!.dir)), false, "the test's temp dir was removed");
    assert.deepEqual(loop, { loopStopped: true }, 'the loop of the test that timed out stopped before the next test');
    assert.deepEqual(readdirSync(root), [], 'nothing is left under the run root');
  } finally {
    await killMarked(RUN_KEY, ofRun(run));
  }
});

test("the run's final check fails a run that left a process or a temp file, names them and cleans up", { timeout: 60_000 }, async () => {
  const report = path.join(scratch(), 'escapes.jsonl');
  let nested: string | undefined;
  try {
    const r = await runNested(['scripts/run-tests.mjs', path.join(ROOT, 'test/fixtures/harness/escaping.test.mjs')], { LEAK_REPORT: report });
    nested = /, run (\S+), temp root/.exec(r.output)?.[1];
    const [escaped] = facts(report);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /FAILED the leak check of run \S+/);
    assert.match(r.output, new RegExp(`1 process\\(es\\) of this run still alive after the tests:\\n  pid ${String(escaped?.pid)} \\[\\S+\\] sleep 304`));
    assert.match(r.output, /1 temp entry left under \S+:\n {2}\S+\/stray\.txt/);
    assert.equal(alive(Number(escaped?.pid)), false, 'the run killed what it reported');
    assert.match(r.output, /# pass 1|ℹ pass 1/, 'the test itself passed: the check is what failed the run');
  } finally {
    if (nested) await killMarked(RUN_KEY, ofRun(nested));
  }
});
