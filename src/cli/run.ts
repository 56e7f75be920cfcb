// `supervisor run <config>`: the master in the foreground (containers, systemd, development).
// It serves the control socket like the daemon, so every verb works against it.
import path from 'node:path';
import { bootMaster } from '../master/boot.js';
import { ensureHome, resolveHome } from '../runtime/home.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Options of `supervisor run`.
export interface RunOptions { readonly jsonLogs?: boolean; readonly home?: string; readonly env?: string; readonly insecureConfig?: boolean }

// Runs a master in the foreground until it is stopped; resolves with the exit code.
export async function runForeground(configFile: string, opts: RunOptions): Promise<ExitCode> {
  const home = ensureHome(resolveHome(opts.home));
  const booted = await bootMaster({
    configFile: path.resolve(configFile),
    home,
    jsonLogs: opts.jsonLogs ?? false,
    insecureConfig: opts.insecureConfig ?? false,
    env: opts.env ?? null,
    sink: { write: (stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text + '\n') },
  });
  if (!booted.started.ok) process.stderr.write(`supervisor: start failed:\n${booted.started.message}\n`);
  await booted.done;
  return booted.started.ok ? EXIT.OK : EXIT.FAILED;
}
