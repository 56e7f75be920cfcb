// The master as PID 1 of a PID namespace, as in a container. Node cannot reap orphans, so
// the master warns and the docs ask for tini; under tini the orphan is reaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI, fixture } from '../helpers/paths.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { waitFor } from '../helpers/wait.js';
import { spawnInTest } from '../helpers/spawn.js';
import { childrenOf, cmdline, pidsMatching, stat } from '../helpers/procs.js';

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
const hasTini = spawnSync('tini', ['--version']).status === 0;

// The orphaned node grandchild once it has been re-parented to `parent` (not the sh that started it).
const orphanOf = (dir: string, parent: number) => () =>
  pidsMatching(`orphan-${dir}`).find((p) => cmdline(p).startsWith(process.execPath) && stat(p)?.ppid === parent);

// Runs `prefix... node CLI run <config>` in a new PID namespace; the first process inside is PID 1.
function runInNamespace(prefix: string[], dir: string) {
  const file = writeConfig(dir, { apps: [{ name: 'orphans', script: fixture('orphan-maker.mjs'), args: [dir], instances: 1, wait_ready: true }] });
  const child = spawnInTest('unshare', ['--pid', '--fork', '--mount-proc', ...prefix, process.execPath, CLI, 'run', file], {
    env: { ...process.env, SUPERVISOR_HOME: tempDir('gs-home-') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const s of [child.stdout!, child.stderr!]) createInterface({ input: s }).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let code: number | null | undefined;
  void exited.then((c) => (code = c));
  const line = (re: RegExp) => waitFor(`a line matching ${re} (exit code so far: ${code})`, () => lines.find((l) => re.test(l)));
  // SIGKILL to PID 1 of the namespace ends every process in it; then unshare exits.
  const kill = () => {
    for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  };
  return { child, lines, exited, line, kill };
}

test('as PID 1 the master warns that it cannot reap orphans, and indeed leaves a zombie', { skip: !canUnshare && 'needs root and unshare --pid', timeout: 30_000 }, async () => {
  const dir = tempDir();
  const ns = runInNamespace([], dir);
  try {
    await ns.line(/WARN running as PID 1: orphaned grandchildren .*"tini", "--"/);
    await ns.line(/app orphans: all workers ready/);
    const master = childrenOf(ns.child.pid!)[0]!;
    const orphan = await waitFor('the orphan re-parented to the master (PID 1)', orphanOf(dir, master));
    await waitFor('the orphan to exit and stay a zombie', () => stat(orphan)?.state === 'Z', 10_000);
    process.kill(master, 'SIGTERM');
    assert.equal(await ns.exited, 0);
  } finally {
    ns.kill();
  }
});

test('under tini as PID 1 the orphan is reaped and SIGTERM still reaches the master', { skip: (!canUnshare && 'needs root and unshare --pid') || (!hasTini && 'needs tini'), timeout: 30_000 }, async () => {
  const dir = tempDir();
  const ns = runInNamespace(['tini', '--'], dir);
  try {
    await ns.line(/app orphans: all workers ready/);
    assert.ok(!ns.lines.some((l) => /PID 1/.test(l)), 'no PID 1 warning under tini');
    const tini = childrenOf(ns.child.pid!)[0]!;
    const orphan = await waitFor('the orphan re-parented to tini', orphanOf(dir, tini));
    await waitFor('the orphan to be reaped', () => stat(orphan) === null, 10_000);
    process.kill(tini, 'SIGTERM');
    assert.equal(await ns.exited, 0);
    assert.match(ns.lines.join('\n'), /stopping all apps \(SIGTERM\)/);
  } finally {
    ns.kill();
  }
});
