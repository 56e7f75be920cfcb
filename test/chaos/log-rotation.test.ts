// Scenario 10: logrotate-style rotation. The app log files are renamed while the workers
// write, then SIGUSR1 reopens them: new lines go to the new files, and the union of all the
// files holds every line each worker wrote, in order, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { pidsMatching } from '../helpers/procs.js';
import { report, scale } from '../helpers/chaos.js';
import { workerLines } from '../helpers/log-events.js';

const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

// The numbers each worker wrote ("<word> <n>"), per worker ("chatty#<id>"), in file order.
function numbers(texts: string[], word: string): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const line of texts.flatMap(workerLines)) {
    const n = new RegExp(`^${word} (\\d+)$`).exec(line.message);
    if (!n) continue;
    const who = `${line.app}#${line.worker}`;
    by.set(who, [...(by.get(who) ?? []), Number(n[1])]);
  }
  return by;
}

// The worker lines of a log file that say `word`.
const says = (file: string, word: string, worker?: number) => workerLines(read(file)).filter((l) => l.message.startsWith(`${word} `) && (worker === undefined || l.worker === worker));

test('SIGUSR1 reopens the log files after a rename; no line is lost or repeated', { timeout: 60_000 }, async () => {
  const rotations = scale(10, 2);
  const dir = tempDir('gs-chaos-rotate-');
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '5s' }] });
  const m = startMaster(['run', file]);
  const logs = path.join(m.home, 'logs');
  const files = { out: path.join(logs, 'chatty-out.log'), err: path.join(logs, 'chatty-error.log') };
  try {
    await m.waitForEvent({ event: 'app-started', app: 'chatty' });
    await waitFor('lines of both workers', () => says(files.out, 'out', 0).length > 0 && says(files.out, 'out', 1).length > 0);
    for (let i = 1; i <= rotations; i++) {
      renameSync(files.out, `${files.out}.${i}`);
      renameSync(files.err, `${files.err}.${i}`);
      m.signal('SIGUSR1');
      await waitFor(`rotation ${i}: both new files written`, () => says(files.out, 'out').length > 0 && says(files.err, 'err').length > 0);
      const rotated = read(`${files.out}.${i}`).length;
      await waitFor('a few more lines in the new file', () => says(files.out, 'out').length > 8);
      assert.equal(read(`${files.out}.${i}`).length, rotated, `the rotated file ${i} is no longer written`);
    }
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 10_000);
    let lines = 0;
    for (const [word, f] of [['out', files.out], ['err', files.err]] as const) {
      const texts = [...Array.from({ length: rotations }, (_, i) => read(`${f}.${i + 1}`)), read(f)];
      const by = numbers(texts, word);
      assert.deepEqual([...by.keys()].sort(), ['chatty#0', 'chatty#1']);
      for (const [who, ns] of by) {
        assert.deepEqual(ns, Array.from({ length: ns.length }, (_, i) => i + 1), `${who} ${word}: every line from 1 to ${ns.length}, once, in order`);
        lines += ns.length;
      }
    }
    assert.equal(m.countEvents({ event: 'log', message: /^log file / }), 0, 'no problem was logged');
    report({
      id: '10',
      scenario: 'Log rotation (rename + SIGUSR1)',
      load: '2 workers writing 20 lines/s each to stdout and to stderr',
      faults: `${rotations} rotations of both files`,
      lost: `0 of ${lines} lines lost or repeated`,
      result: 'each SIGUSR1 reopened the files: new lines in the new files, the rotated ones closed',
    });
  } finally {
    await stopMaster(m);
  }
});
