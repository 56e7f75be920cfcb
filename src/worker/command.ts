// Builds the command line of a worker: interpreter, script, args, and the exec wrapper
// that sets PR_SET_PDEATHSIG (setpriv), checks the master is still its parent and sets
// LISTEN_PID=$$ (sh) before exec'ing the worker.
import { accessSync, constants } from 'node:fs';
import type { AppSpec } from '../config/types.js';
import { clusterNodeArgs } from '../cluster/worker-spawn.js';

// A program and its arguments.
export interface Command { readonly file: string; readonly args: readonly string[] }

let setprivPath: string | null | undefined;

// Where util-linux setpriv is, or null when it is missing (then no parent-death signal).
export function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    try {
      accessSync(`${dir}/setpriv`, constants.X_OK);
      setprivPath = `${dir}/setpriv`;
      break;
    } catch {
      // keep looking
    }
  }
  return setprivPath;
}

// The worker's own command, without any wrapper.
export function workerCommand(spec: AppSpec): Command {
  if (spec.interpreter === null) return { file: spec.script, args: spec.args };
  const interpreter = spec.interpreter === 'node' ? process.execPath : spec.interpreter;
  return { file: interpreter, args: [...clusterNodeArgs(spec), ...spec.interpreter_args, spec.script, ...spec.args] };
}

// Run by sh once setpriv has set the parent-death signal. A master that died before that (in
// the moment between its fork and setpriv's prctl, as a kill -9 during a spawn can) sends no
// signal and has told no keeper, so the worker would run with no one left to stop it: it
// checks that its parent is still the master (its pid is $1) and does not start otherwise.
const PARENT_CHECK = '[ "$PPID" = "$1" ] || exit 70; shift';
const SET_LISTEN_PID = 'LISTEN_PID=$$; export LISTEN_PID';

// The command wrapped so the kernel signals the worker if the master (`masterPid`, the process
// that spawns it) dies, and so that LISTEN_PID equals the worker's own pid when sockets are passed.
export function wrappedCommand(spec: AppSpec, withListenPid: boolean, masterPid = process.pid): Command {
  let cmd = workerCommand(spec);
  const setpriv = findSetpriv();
  const steps = [...(setpriv ? [PARENT_CHECK] : []), ...(withListenPid ? [SET_LISTEN_PID] : [])];
  if (steps.length > 0) cmd = { file: '/bin/sh', args: ['-c', `${steps.join('; ')}; exec "$@"`, 'sh', ...(setpriv ? [String(masterPid)] : []), cmd.file, ...cmd.args] };
  if (setpriv) cmd = { file: setpriv, args: ['--pdeathsig', spec.stop_signal.replace(/^SIG/, ''), '--', cmd.file, ...cmd.args] };
  return cmd;
}
