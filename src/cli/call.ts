// Calling the master from a verb: find its socket in the home, send one request, print its
// progress lines, and turn a refusal into a CliError with the documented exit code.
import type { ControlResponse, ControlVerb } from '../protocol/control.js';
import { homePaths, resolveHome } from '../runtime/home.js';
import { request } from './control-client.js';
import { exitCodeOf } from './exit-codes.js';
import { CliError } from './output.js';

// Options every verb that talks to the master takes.
export interface MasterCallOptions { readonly home?: string }

// Sends `verb` to the master of the home; prints its progress lines when `progress`; throws on
// refusal, and past `timeoutMs` when it is given.
export async function callMaster(opts: MasterCallOptions, verb: ControlVerb, args: Record<string, unknown> = {}, progress = false, failPrefix = '', timeoutMs = 0): Promise<ControlResponse> {
  const socket = homePaths(resolveHome(opts.home)).socket;
  const res = await request(socket, verb, args, progress ? (line) => process.stdout.write(line + '\n') : undefined, timeoutMs);
  if (!res.ok) throw new CliError(`${failPrefix}${res.message ?? `${verb} failed`}`, exitCodeOf(res.code));
  return res;
}
