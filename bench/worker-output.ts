// Bench (not a test): how fast one worker's stdout of short lines goes through a daemon
// master into its log file, and the master's peak RSS meanwhile. The worker offers RATE_MB
// per second (default 200, more than the master takes) of LINE_BYTES-byte numbered lines
// for SECONDS; the log is then checked for missing lines. Run it on two checkouts to
// compare them: `npm run bench:output` (RATE_MB, SECONDS, LINE_BYTES, RUNS from the env).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const RATE_MB = Number(process.env.RATE_MB ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 5);
const LINE_BYTES = Number(process.env.LINE_BYTES ?? 100);
const RUNS = Number(process.env.RUNS ?? 3);

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function once(): Promise<{ mbps: number; peakMb: number; lines: number; gaps: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-output-'));
  const env = { ...process.env, SUPERVISOR_HOME: path.join(dir, 'home') };
  const out = path.join(dir, 'out.log');
  const config = path.join(dir, 'ecosystem.json');
  const app = { name: 'hose', script: path.join(ROOT, 'test/fixtures/firehose.mjs'), cwd: ROOT, wait_ready: true, kill_timeout: '3s', out_file: out, env: { RATE_BYTES: String(RATE_MB * 1024 * 1024), LINE_BYTES: String(LINE_BYTES) } };
  writeFileSync(config, JSON.stringify({ metrics: false, apps: [app] }));
  try {
    execFileSync(process.execPath, [CLI, 'start', config], { env });
    const master = Number(readFileSync(path.join(dir, 'home', 'supervisor.pid'), 'utf8'));
    await sleep(500);
    const from = statSync(out).size;
    const t0 = Date.now();
    let peakMb = 0;
    while (Date.now() - t0 < SECONDS * 1000) {
      await sleep(100);
      peakMb = Math.max(peakMb, rssMb(master));
    }
    const mbps = (statSync(out).size - from) / ((Date.now() - t0) / 1000) / 1024 / 1024;
    execFileSync(process.execPath, [CLI, 'stop'], { env });
    const numbers = [...readFileSync(out, 'utf8').matchAll(/\| (\d+) x*$/gm)].map((m) => Number(m[1]));
    const gaps = numbers.filter((n, i) => i > 0 && n !== numbers[i - 1]! + 1).length;
    return { mbps, peakMb, lines: numbers.length, gaps };
  } finally {
    try {
      execFileSync(process.execPath, [CLI, 'stop'], { env, stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let i = 1; i <= RUNS; i++) {
  const r = await once();
  console.log(`run ${i}: ${r.mbps.toFixed(1)} MB/s into the log, master peak RSS ${r.peakMb.toFixed(0)} MB, ${r.lines} lines, ${r.gaps} missing`);
}
