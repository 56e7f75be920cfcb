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

const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

// The numbers each worker wrote ("chatty#<id> | <word> <n>"), per worker, in file order.
function numbers(texts: string[], word: string): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const text of texts) {
    for (const m of text.matchAll(new RegExp(`(chatty#\\d) \\| ${word} (\\d+)$`, 'gm'))) {
      const list = by.get(m[1]!) ?? [];
      list.push(Number(m[2]));
      by.set(m[1]!, list);
    }
  }
  return by;
}

test('SIGUSR1 reopens the log files after a rename; no line is lost or repeated', { timeout: 60_000 }, async () => {
  const rotations = scale(10, 2);
  const dir = tempDir('gs-chaos-rotate-');
  const file = writeConfig(dir, { apps: [{ name: 'chatty', script: fixture('chatty.mjs'), args: [dir], instances: 2, wait_ready: true, kill_timeout: '5s' }] });
  const m = startMaster(['run', file]);
  const logs = path.join(m.home, 'logs');
  const files = { out: path.join(logs, 'chatty-out.log'), err: path.join(logs, 'chatty-error.log') };
  try {
    await m.waitForLine(/app chatty: all workers ready/);
    await waitFor('lines of both workers', () => /chatty#0 \| out/.test(read(files.out)) && /chatty#1 \| out/.test(read(files.out)));
    for (let i = 1; i <= rotations; i++) {
      renameSync(files.out, `${files.out}.${i}`);
      renameSync(files.err, `${files.err}.${i}`);
      m.signal('SIGUSR1');
      await waitFor(`rotation ${i}: both new files written`, () => /out \d+/.test(read(files.out)) && /err \d+/.test(read(files.err)));
      const rotated = read(`${files.out}.${i}`).length;
      await waitFor('a few more lines in the new file', () => read(files.out).split('\n').length > 8);
      assert.equal(read(`${files.out}.${i}`).length, rotated, `the rotated file ${i} is no longer written`);
    }
    assert.equal((await stopMaster(m)).code, 0);
    await waitFor('no process of this test left', () => pidsMatching(dir).length === 0, 5000);
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
    assert.equal(m.count(/WARN log file/), 0, 'no problem was logged');
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
