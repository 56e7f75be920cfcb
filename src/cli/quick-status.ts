// The fast path of the hottest verbs: `supervisor status [app] [--json] [--home DIR]` (or its
// aliases ls, list, ps), and `supervisor reload|restart [app] [--home DIR]`, are parsed
// here without loading commander, which is the largest part of the CLI's startup (about
// 25 ms of a 100 ms run here; see docs/benchmarks.md). Anything else, `--help` included,
// goes through commander as usual.
import type { ExitCode } from './exit-codes.js';
import { CliError, printError } from './output.js';
import type { StatusOptions } from './status.js';

// The options of a plain status call, or null when `argv` is anything else.
export function parseQuickStatus(argv: readonly string[]): StatusOptions | null {
  return parseQuick(argv, STATUS_VERBS, true);
}

// `[app] [--home DIR]`, and `--json` when allowed, after one of `verbs`; null for anything else.
function parseQuick(argv: readonly string[], verbs: ReadonlySet<string>, jsonOk: boolean): StatusOptions | null {
  if (!verbs.has(argv[0] ?? '')) return null;
  let json = false;
  let home: string | undefined;
  let app: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' && jsonOk) json = true;
    else if (a === '--home' && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) home = argv[++i];
    else if (a.startsWith('--home=') && a.length > 7) home = a.slice(7);
    else if (!a.startsWith('-') && app === undefined) app = a;
    else return null;
  }
  return { json, ...(home === undefined ? {} : { home }), ...(app === undefined ? {} : { app }) };
}

// A plain `reload [app] [--home DIR]` (or restart): the verb, app and home; null for anything else.
export function parseQuickRoll(argv: readonly string[]): { verb: 'reload' | 'restart'; app?: string; home?: string } | null {
  const opts = parseQuick(argv, ROLL_VERBS, false);
  if (opts === null) return null;
  const { json: _json, ...rest } = opts;
  return { verb: argv[0] as 'reload' | 'restart', ...rest };
}

const ROLL_VERBS = new Set(['reload', 'restart']);

// `status` and the names PM2, supervisord and ps users type for it.
const STATUS_VERBS = new Set(['status', 'ls', 'list', 'ps']);

// Runs a plain status call and returns its exit code, or null to let commander handle argv.
export async function quickStatus(argv: readonly string[]): Promise<ExitCode | null> {
  const opts = parseQuickStatus(argv);
  if (opts === null) return null;
  const { status } = await import('./status.js');
  return answered(() => status(opts));
}

// Runs a plain reload or restart the same way: a reload command's wall time is what a user
// waits on, and commander is a third of a CLI start-up.
export async function quickRoll(argv: readonly string[]): Promise<ExitCode | null> {
  const opts = parseQuickRoll(argv);
  if (opts === null) return null;
  const { roll } = await import('./reload.js');
  return answered(() => roll(opts.verb, opts.app, opts.home === undefined ? {} : { home: opts.home }));
}

async function answered(run: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    printError(error.message);
    return error.exitCode;
  }
}
