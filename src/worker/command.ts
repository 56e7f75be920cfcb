// Builds the command line of a worker: interpreter, script, args, and the exec wrapper
// that sets PR_SET_PDEATHSIG (setpriv) and LISTEN_PID=$$ (sh) before exec'ing the worker.
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

// The command wrapped so the kernel signals the worker if the master dies, and so that
// LISTEN_PID equals the worker's own pid when sockets are passed.
export function wrappedCommand(spec: AppSpec, withListenPid: boolean): Command {
  let cmd = workerCommand(spec);
  if (withListenPid) cmd = { file: '/bin/sh', args: ['-c', 'LISTEN_PID=$$; export LISTEN_PID; exec "$@"', 'sh', cmd.file, ...cmd.args] };
  const setpriv = findSetpriv();
  if (setpriv) cmd = { file: setpriv, args: ['--pdeathsig', spec.stop_signal.replace(/^SIG/, ''), '--', cmd.file, ...cmd.args] };
  return cmd;
}
