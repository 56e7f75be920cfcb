// The fast path of the hottest verb: `supervisor status [app] [--json] [--home DIR]` (or its
// aliases ls, list, ps) is parsed
// here without loading commander, which is the largest part of the CLI's startup (about
// 25 ms of a 100 ms run here; see docs/benchmarks.md). Anything else, `--help` included,
// goes through commander as usual.
import type { ExitCode } from './exit-codes.js';
import { CliError, printError } from './output.js';
import type { StatusOptions } from './status.js';

// The options of a plain status call, or null when `argv` is anything else.
export function parseQuickStatus(argv: readonly string[]): StatusOptions | null {
  if (!STATUS_VERBS.has(argv[0] ?? '')) return null;
  let json = false;
  let home: string | undefined;
  let app: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--home' && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) home = argv[++i];
    else if (a.startsWith('--home=') && a.length > 7) home = a.slice(7);
    else if (!a.startsWith('-') && app === undefined) app = a;
    else return null;
  }
  return { json, ...(home === undefined ? {} : { home }), ...(app === undefined ? {} : { app }) };
}

// `status` and the names PM2, supervisord and ps users type for it.
const STATUS_VERBS = new Set(['status', 'ls', 'list', 'ps']);

// Runs a plain status call and returns its exit code, or null to let commander handle argv.
export async function quickStatus(argv: readonly string[]): Promise<ExitCode | null> {
  const opts = parseQuickStatus(argv);
  if (opts === null) return null;
  const { status } = await import('./status.js');
  try {
    return await status(opts);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    printError(error.message);
    return error.exitCode;
  }
}

