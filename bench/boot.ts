// `npm run bench:boot`: a Node worker's boot, from spawn to ready, each variant timed in
// interleaved rounds on the Node that runs this script (run it under each Node in turn):
// `node -e 0`; a bare HTTP worker (bench/apps/bare-http.cjs, no SDK); the same with the SDK
// imported; the SDK's example worker (examples/http-worker.js) without and with a warm
// NODE_COMPILE_CACHE (Node >= 22.1); an Express app (~70 modules) without and with it; and behind the exec wrappers the master puts in front
// of a worker (setpriv --pdeathsig; sh for LISTEN_PID). Prints medians and p90s.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootTime } from './boot-probe.js';
import { percentile } from './stats.js';
import { ROOT } from './subjects.js';
import { findSetpriv } from '../src/worker/command.js';

const ROUNDS = Number(process.env.BOOT_ROUNDS ?? 30);
const node = process.execPath;
const bare = path.join(ROOT, 'bench/apps/bare-http.cjs');
const example = path.join(ROOT, 'examples/http-worker.js');
const express = ['--require', path.join(ROOT, 'bench/apps/ready-on-listen.cjs'), path.join(ROOT, 'bench/apps/express-app.cjs')];
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-ccache-'));
const base: NodeJS.ProcessEnv = { ...process.env, SUPERVISOR_APP: 'boot', PORT: '0' };
delete base.NODE_COMPILE_CACHE;
const setpriv = findSetpriv();
const hasCache = Number(process.versions.node.split('.')[0]) > 22 || (process.versions.node.startsWith('22.') && Number(process.versions.node.split('.')[1]) >= 1);

interface Variant { readonly name: string; run(): Promise<number> }
const variants: Variant[] = [
  { name: '`node -e 0` (spawn to exit)', run: () => bootTime(node, ['-e', '0'], base, true) },
  { name: 'bare HTTP worker, no SDK', run: () => bootTime(node, [bare], base) },
  { name: 'bare HTTP worker + `--import graceful-supervisor/worker`', run: () => bootTime(node, ['--import', 'graceful-supervisor/worker', bare], base) },
  { name: 'SDK example worker (examples/http-worker.js)', run: () => bootTime(node, [example], base) },
];
if (hasCache) variants.push({ name: 'SDK example worker, warm NODE_COMPILE_CACHE', run: () => bootTime(node, [example], { ...base, NODE_COMPILE_CACHE: cacheDir }) });
variants.push({ name: 'Express app (bench/apps/express-app.cjs)', run: () => bootTime(node, express, base) });
if (hasCache) variants.push({ name: 'Express app, warm NODE_COMPILE_CACHE', run: () => bootTime(node, express, { ...base, NODE_COMPILE_CACHE: cacheDir }) });
if (setpriv) {
  variants.push({ name: 'SDK example worker behind setpriv --pdeathsig', run: () => bootTime(setpriv, ['--pdeathsig', 'TERM', '--', node, example], base) });
  variants.push({ name: 'SDK example worker behind setpriv + sh (LISTEN_PID)', run: () => bootTime(setpriv, ['--pdeathsig', 'TERM', '--', '/bin/sh', '-c', 'LISTEN_PID=$$; export LISTEN_PID; exec "$@"', 'sh', node, example], base) });
}

process.chdir(ROOT); // `--import graceful-supervisor/worker` resolves from here (the package's self-reference)
try {
  // Fills the cache (flushed before the child says ready: killed children write nothing).
  const preload = ['--require', path.join(ROOT, 'bench/apps/ready-on-listen.cjs')];
  if (hasCache) for (const args of [[...preload, example], express]) await bootTime(node, args, { ...base, NODE_COMPILE_CACHE: cacheDir, BOOT_FLUSH: '1' });
  if (hasCache) process.stdout.write(`compile cache: ${readdirSync(cacheDir, { recursive: true }).length} entries after the warm-up\n`);
  const times = variants.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) for (const [i, v] of variants.entries()) times[i]!.push(await v.run());
  const floor = percentile(times[1]!, 50);
  const out = [
    `Node ${process.version}, ${ROUNDS} interleaved rounds, load average ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} cores`,
    '',
    '| spawn to ready | median | p90 | median vs bare HTTP worker |',
    '|---|---|---|---|',
    ...variants.map((v, i) => `| ${v.name} | ${percentile(times[i]!, 50).toFixed(1)} ms | ${percentile(times[i]!, 90).toFixed(1)} ms | ${(percentile(times[i]!, 50) / floor).toFixed(2)}x |`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
