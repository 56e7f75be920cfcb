// `supervisor metrics`: prints what GET /metrics serves, fetched over the control socket,
// so it works even when the HTTP endpoint is off (`"metrics": false`).
import { request } from './control-client.js';
import { homePaths, resolveHome } from '../runtime/home.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';

// Options of `supervisor metrics`.
export interface MetricsOptions { readonly openmetrics?: boolean; readonly home?: string }

// How long the CLI waits for the master (a scrape waits at most 1 s for workers).
const TIMEOUT_MS = 10_000;

// Prints the metrics; resolves with the exit code.
export async function metrics(opts: MetricsOptions): Promise<ExitCode> {
  const res = await request(homePaths(resolveHome(opts.home)).socket, 'metrics', { format: opts.openmetrics ? 'openmetrics' : 'text' }, undefined, TIMEOUT_MS);
  if (!res.ok) throw new CliError(res.message ?? 'metrics failed', EXIT.FAILED);
  const text = (res.data as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string') throw new CliError('the master sent no metrics text', EXIT.FAILED);
  process.stdout.write(text);
  return EXIT.OK;
}
