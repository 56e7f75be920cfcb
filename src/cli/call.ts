// Calling the master from a verb: find its socket in the home, send one request, print its
// progress lines, and turn a refusal into a CliError with the documented exit code. Every call
// has a deadline: quick verbs a whole-call timeout, verbs that wait for work a liveness watch.
import type { ControlResponse, ControlVerb } from '../protocol/control.js';
import { homePaths, resolveHome } from '../runtime/home.js';
import { request } from './control-client.js';
import { exitCodeOf } from './exit-codes.js';
import { CliError } from './output.js';

// Options every verb that talks to the master takes.
export interface MasterCallOptions { readonly home?: string }

// Verbs the master answers at once (within its own 10 s deadline): the CLI waits a little longer.
const QUICK: ReadonlySet<ControlVerb> = new Set(['ping', 'status', 'describe', 'logs', 'metrics']);
// How long a quick verb may take, the master's 10 s deadline included.
export const QUICK_CALL_MS = 15_000;
// How long a verb that waits for work (reload, stop, ...) may go without a line from the master
// before the CLI checks with a ping that the master still answers.
export const QUIET_CALL_MS = 10_000;

// Sends `verb` to the master of the home; prints its progress lines when `progress`; throws on
// refusal, past `timeoutMs` (default: 15 s for quick verbs), or when a long call's master stops
// answering.
export async function callMaster(opts: MasterCallOptions, verb: ControlVerb, args: Record<string, unknown> = {}, progress = false, failPrefix = '', timeoutMs?: number): Promise<ControlResponse> {
  const socket = homePaths(resolveHome(opts.home)).socket;
  const quick = QUICK.has(verb);
  const res = await request(socket, verb, args, progress ? (line) => process.stdout.write(line + '\n') : undefined, timeoutMs ?? (quick ? QUICK_CALL_MS : 0), quick ? undefined : { quietMs: QUIET_CALL_MS });
  if (!res.ok) throw new CliError(`${failPrefix}${res.message ?? `${verb} failed`}`, exitCodeOf(res.code));
  return res;
}
