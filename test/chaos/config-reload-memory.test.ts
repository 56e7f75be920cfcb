// Scenario 11: 2,000 reloads of .mjs configs. Each reload evaluates the files in a loader
// child, so the master keeps no module copy: its RSS grows by less than 5 MB. (Before, each
// ESM reload left 4.9 KB behind in the master.) The master runs with its node flags, as
// users run it (without them V8's young generation alone grows by several MB under this
// allocation rate). The short form inside `npm test` does ~100.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { tempDir } from '../helpers/config.js';
import { CLI, fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { MASTER_NODE_FLAGS } from '../../src/runtime/master-flags.js';
import { pidsMatching } from '../helpers/procs.js';
import { socketOf } from '../helpers/control.js';
import { report, scale } from '../helpers/chaos.js';

const FILES = 4;
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('2,000 reloads of .mjs configs: master RSS grows by less than 5 MB; no loader child is left', { timeout: 900_000 }, async () => {
  const evaluations = scale(2000, 100);
  const warmup = scale(200, 40);
  const dir = tempDir('gs-chaos-reloadmem-');
  // Each file: one app scaled to no worker (instances 0 is one per CPU, as in PM2), so a
  // reload is all control plane (read, apply, roll).
  const files = Array.from({ length: FILES }, (_, i) => {
    const file = path.join(dir, `eco${i}.mjs`);
    const big = Array.from({ length: 50 }, (_, k) => `K${k}: ${JSON.stringify('x'.repeat(64))}`).join(', ');
    writeFileSync(file, `const env = { ${big} };\nexport default { metrics: false, apps: [{ name: 'idle${i}', script: ${JSON.stringify(fixture('sleeper.sh'))}, args: [${JSON.stringify(dir)}], instances: 1, env }] };\n`);
    return file;
  });
  const home = path.join(dir, 'home');
  const m = spawn(process.execPath, [...MASTER_NODE_FLAGS, CLI, 'run', files[0]!], { env: { ...process.env, SUPERVISOR_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => m.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  createInterface({ input: m.stdout }).on('line', (l) => lines.push(l));
  const sock = socketOf(home);
  try {
    await waitFor('idle0 started', () => lines.some((l) => /app idle0: all workers ready/.test(l)), 30_000);
    for (const f of files.slice(1)) assert.equal((await request(sock, 'start', { config: f }, undefined, 30_000)).ok, true);
    for (let i = 0; i < FILES; i++) assert.equal((await request(sock, 'scale', { app: `idle${i}`, instances: 0 }, undefined, 30_000)).ok, true);
    const reloadAll = async (n: number) => {
      for (let done = 0; done < n; done += FILES) {
        const r = await request(sock, 'reload', {}, undefined, 60_000);
        assert.equal(r.ok, true, r.message);
      }
    };
    await reloadAll(warmup);
    const before = median([rssKb(m.pid!), rssKb(m.pid!), rssKb(m.pid!)]);
    const began = Date.now();
    await reloadAll(evaluations);
    const seconds = (Date.now() - began) / 1000;
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await reloadAll(FILES);
      samples.push(rssKb(m.pid!));
    }
    const after = median(samples);
    const growthMb = (after - before) / 1024;
    assert.ok(growthMb < 5, `master RSS grew ${growthMb.toFixed(2)} MB over ${evaluations} reloads (${before} -> ${after} kB)`);
    assert.deepEqual(pidsMatching('loader-main.js').filter((p) => pidsMatching(dir).includes(p)), [], 'no loader child left');
    const status = await request(sock, 'status');
    const apps = (status.data as { apps: { generation: number }[] }).apps;
    assert.ok(apps.every((a) => a.generation > evaluations / FILES), 'every reload rolled every app');
    report({
      id: '11',
      scenario: `${evaluations} reloads of .mjs configs`,
      load: `${FILES} config files (one app each, no worker), reloaded together ${evaluations / FILES} times`,
      faults: 'none (memory)',
      lost: 'none',
      result: `master RSS ${(before / 1024).toFixed(1)} -> ${(after / 1024).toFixed(1)} MB (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(2)} MB; limit +5 MB); ${(evaluations / seconds).toFixed(1)} evaluations/s; no loader child left`,
    });
    m.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (m.exitCode === null && m.signalCode === null) m.kill('SIGKILL');
    await exited;
  }
});
