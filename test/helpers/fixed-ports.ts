// The guard against a shared port in tests: a master started by a test must not bind the
// default metrics port, which anything else on the host may hold (another suite, a real
// supervisor). Metrics off or port 0, or a master in its own network namespace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../../src/config/defaults.js';

// Options of `run` and `start` that take a value (the config is the first other argument).
const VALUED = new Set(['--env', '--home', '--umask', '-i', '--instances', '--name', '--listen']);

// The parsed config file, or null when this guard cannot read it. A JS config is user code:
// evaluating it here would run it once more than a test expects, so its text is read
// instead, and one that never mentions `metrics` is taken to bind the default endpoint.
function readConfig(file: string): unknown {
  try {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) return JSON.parse(text);
    if (!/\.(c|m)?js$/.test(file)) return null;
    return /\bmetrics\b/.test(text) ? null : {};
  } catch {
    return null;
  }
}

// The address on the default metrics port that `file` would make a master bind, or null.
export function defaultMetricsBind(file: string): string | null {
  const config = readConfig(file);
  if (typeof config !== 'object' || config === null) return null;
  const metrics = (config as { metrics?: unknown }).metrics;
  if (metrics === false) return null;
  const m = typeof metrics === 'object' && metrics !== null ? (metrics as { host?: unknown; port?: unknown }) : {};
  const port = m.port ?? DEFAULTS.metrics.port;
  return port === DEFAULTS.metrics.port ? `${typeof m.host === 'string' ? m.host : DEFAULTS.metrics.host}:${port}` : null;
}

// The config file of a `run` or `start` command line, or null for other verbs.
export function configArg(args: readonly string[], cwd = process.cwd()): string | null {
  if (args[0] !== 'run' && args[0] !== 'start') return null;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (VALUED.has(a)) i++;
    else if (!a.startsWith('-')) return path.resolve(cwd, a);
  }
  return null;
}

// Throws when the command would start a master on the default metrics port.
export function refuseFixedPorts(args: readonly string[], cwd = process.cwd()): void {
  if (args.includes('--no-metrics')) return; // script mode without the endpoint
  const file = configArg(args, cwd);
  const bind = file === null ? null : defaultMetricsBind(file);
  if (bind !== null) {
    throw new Error(`${file}: a test master would bind the default metrics port (${bind}), which other programs on this host may hold. Set "metrics": false or a port of 0, or start the master with { netns: true } if the default is what the test is about.`);
  }
}
