// Scenario 5: generated bad configs. Each is rejected with an error naming the file and the
// problem, and the running workers are untouched (same pids) through all of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { workersOf } from '../helpers/workers.js';
import { report, scale } from '../helpers/chaos.js';
import { socketOf } from '../helpers/control.js';

type Case = { kind: string; write: (file: string) => void; expect: RegExp };

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function cases(count: number, good: Record<string, unknown>): Case[] {
  const rnd = seeded(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const text = JSON.stringify({ metrics: false, apps: [good] });
  const json = (obj: unknown) => (file: string) => writeFileSync(file, JSON.stringify(obj));
  const app = (patch: Record<string, unknown>) => ({ metrics: false, apps: [{ ...good, ...patch }] });
  const gens: (() => Case)[] = [
    () => ({ kind: 'invalid JSON', write: (f) => writeFileSync(f, text.slice(0, 1 + Math.floor(rnd() * (text.length - 2)))), expect: /invalid JSON/ }),
    () => {
      const [key, value] = pick([['instances', 'three'], ['kill_timeout', true], ['wait_ready', 'yes'], ['env', 5], ['args', { a: 1 }], ['max_restarts', -2], ['listen_timeout', 'soon'], ['max_memory_restart', 'lots']] as const);
      return { kind: 'wrong type', write: json(app({ [key]: value })), expect: new RegExp(`apps\\[0\\]\\.${key}`) };
    },
    () => {
      const key = pick(['instnaces', 'scirpt', 'kill_timout', 'wacth', 'exec_mode', 'cron_restart']);
      return { kind: 'unknown key', write: json(app({ [key]: 1 })), expect: new RegExp(`apps\\[0\\]\\.${key}`) };
    },
    () => {
      const [key, value] = pick([['instances', 1e9], ['kill_timeout', 1e30], ['listen_timeout', '99999999h'], ['max_restarts', 1e12], ['reload_surge', 1e7]] as const);
      return { kind: 'huge number', write: json(app({ [key]: value })), expect: new RegExp(`apps\\[0\\]\\.${key}`) };
    },
    () => ({ kind: 'empty file', write: (f) => writeFileSync(f, pick(['', '   ', '\n\n'])), expect: /empty|only whitespace/ }),
    () => ({ kind: 'binary garbage', write: (f) => writeFileSync(f, randomBytes(64 + Math.floor(rnd() * 4000))), expect: /invalid JSON|not UTF-8|binary/i }),
    () => ({ kind: '10 MB file', write: (f) => writeFileSync(f, JSON.stringify({ apps: [good], pad: 'x'.repeat(10 * 1024 * 1024) })), expect: /larger than/ }),
    () => ({
      kind: 'symlink loop',
      write: (f) => {
        rmSync(f, { force: true });
        rmSync(`${f}.loop`, { force: true });
        symlinkSync(`${f}.loop`, f);
        symlinkSync(f, `${f}.loop`);
      },
      expect: /ELOOP|symbolic links/,
    }),
    () => ({ kind: 'wrong root', write: json(pick([[1], 42, null, 'apps', { apps: {} }, {}])), expect: /expected|apps/ }),
    () => ({ kind: 'bad name', write: json(app({ name: pick(['a/b', '..', 'tab\there']) })), expect: /apps\[0\]\.name/ }),
    () => ({ kind: 'missing script', write: json({ metrics: false, apps: [{ name: 'web' }] }), expect: /apps\[0\]\.script/ }),
    () => ({ kind: 'fractional instances', write: json(app({ instances: pick([2.5, -0.5, '1.5']) })), expect: /apps\[0\]\.instances/ }),
  ];
  return Array.from({ length: count }, (_, i) => gens[i % gens.length]!());
}

test('config fuzz: every bad config is rejected with a clear error; running pids unchanged', { timeout: 60_000 }, async () => {
  const count = scale(200, 48);
  const dir = tempDir();
  const file = path.join(dir, 'ecosystem.json');
  const good = { name: 'web', script: fixture('slow-boot.mjs'), args: [dir], instances: 2, wait_ready: true, env: { READY_DELAY_MS: '10' } };
  writeFileSync(file, JSON.stringify({ metrics: false, apps: [good] }));
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'web' });
    const pids = workersOf(m.pid).map((w) => w.pid).sort();
    const byKind = new Map<string, number>();
    for (const c of cases(count, good)) {
      c.write(file);
      const res = await request(socketOf(m.home), 'reload', {}, undefined, 20_000);
      assert.equal(res.ok, false, `${c.kind} was accepted`);
      assert.ok(res.message?.includes(file), `${c.kind}: the error names the file: ${res.message}`);
      assert.match(res.message ?? '', c.expect, `${c.kind}: ${res.message?.slice(0, 300)}`);
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
      rmSync(`${file}.loop`, { force: true });
    }
    assert.deepEqual(workersOf(m.pid).map((w) => w.pid).sort(), pids, 'no worker was touched');
    rmSync(file, { force: true });
    writeFileSync(`${file}.tmp`, JSON.stringify({ metrics: false, apps: [good] }));
    renameSync(`${file}.tmp`, file);
    const ok = await request(socketOf(m.home), 'reload', {}, undefined, 20_000);
    assert.equal(ok.ok, true, `a valid config recovers: ${ok.message}`);
    report({ id: '5', scenario: 'Config fuzz', load: '2 workers', faults: `${count} bad configs (${[...byKind.keys()].length} kinds)`, lost: 'none', result: `${count}/${count} rejected with file and path named; pids unchanged; a valid save recovers` });
  } finally {
    await stopMaster(m);
  }
});
