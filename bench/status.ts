// Bench (not a test): median wall time of `supervisor status` against a daemon with 8
// workers, side by side with a bare `node -e 0` (the floor for any Node CLI) and PM2's
// `pm2 jlist` with 8 processes. Runs are interleaved so all three share the machine's noise.
// `npm run bench:status` runs it; `--write` puts the results in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const PM2 = path.join(ROOT, 'node_modules/pm2/bin/pm2');
const RUNS = Number(process.env.RUNS ?? 25);
const WORKERS = 8;

const dir = mkdtempSync(path.join(os.tmpdir(), 'gs-bench-status-'));
const env = { ...process.env, SUPERVISOR_HOME: path.join(dir, 'home'), PM2_HOME: path.join(dir, 'pm2') };

function run(args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// Our modules reachable through static imports from the CLI entry and the status verb.
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const m of readFileSync(entry, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) staticGraph(path.resolve(path.dirname(entry), m[1]!), seen);
  return seen;
}

const worker = path.join(dir, 'idle-worker.js');
writeFileSync(worker, "setInterval(() => {}, 1 << 30);\nif (process.send) process.send('ready');\n");
const eco = path.join(dir, 'ecosystem.json');
writeFileSync(eco, JSON.stringify({ metrics: false, apps: [{ name: 'idle', script: worker, instances: WORKERS, wait_ready: true }] }));

const havePm2 = existsSync(PM2);
const load0 = os.loadavg()[0]!.toFixed(1);
const cases: { name: string; args: string[] }[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'supervisor status', args: [CLI, 'status'] },
  { name: 'supervisor status --json', args: [CLI, 'status', '--json'] },
  // Reference rows: what loading the two heaviest packages costs on its own.
  { name: 'node -e "import(\'commander\')"', args: ['-e', "import('commander')"] },
];
try {
  run([CLI, 'start', eco]);
  if (havePm2) {
    run([PM2, 'start', worker, '-i', String(WORKERS), '--name', 'idle', '--wait-ready']);
    cases.push({ name: 'pm2 jlist', args: [PM2, 'jlist'] });
  }
  const status = JSON.parse(run([CLI, 'status', '--json']).out) as { apps: { workers: { state: string }[] }[] };
  if (status.apps[0]!.workers.filter((w) => w.state === 'ready').length !== WORKERS) throw new Error('not every worker is ready');
  for (const c of cases) for (let i = 0; i < 3; i++) run(c.args); // warm the page cache
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c.name)!.push(run(c.args).ms);

  const floor = median(times.get('node -e 0')!);
  const rows = cases.map((c) => {
    const m = median(times.get(c.name)!);
    return `| \`${c.name}\` | ${m.toFixed(1)} ms | ${(m / floor).toFixed(2)}x |`;
  });
  const ours = [...staticGraph(CLI), ...staticGraph(path.join(ROOT, 'dist/src/cli/status.js'))].map((f) => path.relative(path.join(ROOT, 'dist'), f));
  const unique = [...new Set(ours)];
  const masterCode = unique.filter((f) => /^src\/(master|config|worker)\//.test(f));
  const section = [
    '## CLI status',
    '',
    `Median wall time of ${RUNS} interleaved runs each, against a daemon with ${WORKERS} idle workers${havePm2 ? ` and a PM2 7.0.4 daemon with ${WORKERS} cluster processes` : ' (PM2 not installed: skipped)'}, on ${os.cpus().length} cores (load average ${load0} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end: a shared machine), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Ratios are to bare \`node -e 0\`, the floor for any Node CLI. Goal: \`supervisor status\` within 1.5x.`,
    '',
    '| command | median | vs `node -e 0` |',
    '|---|---|---|',
    ...rows,
    '',
    `Import graph: a plain \`status\` loads ${unique.length} of our compiled modules (\`${unique.join('`, `')}\`), ${masterCode.length === 0 ? 'none of them master, config or worker code' : `including ${masterCode.join(', ')}`}. It skips commander (\`src/cli/quick-status.ts\`; other verbs and \`--help\` load it), CPU and memory are sampled in the master (pidusage), and the table is plain aligned columns with no table library (cli-table3 alone cost 10 ms to load). A test (\`test/unit/cli/import-graph.test.ts\`) keeps master code out of the CLI's quick verbs.`,
    '',
    'Reproduce: `npm run bench:status` (add `-- --write` to update this section).',
    '',
  ].join('\n');
  process.stdout.write(section);
  if (process.argv.includes('--write')) {
    const file = path.join(ROOT, 'docs/benchmarks.md');
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nSide-by-side runs on one machine; see each section for the exact command.\n\n';
    const start = old.indexOf('## CLI status');
    const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
    const updated = start < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, start)}${section}${next < 0 ? '' : old.slice(next + 1)}`;
    writeFileSync(file, updated);
  }
} finally {
  spawnSync(process.execPath, [CLI, 'stop'], { env });
  if (havePm2) spawnSync(process.execPath, [PM2, 'kill'], { env });
}
