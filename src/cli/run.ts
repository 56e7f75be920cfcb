// `supervisor run <config>`: the master in the foreground (containers, systemd, development).
// It serves the control socket like the daemon, so every verb works against it.
import { bootMaster } from '../master/boot.js';
import { acquirePidfile, releasePidfile } from '../runtime/pidfile.js';
import { checkedConfig } from './config-arg.js';
import { openHome } from './home-access.js';
import { CliError } from './output.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Options of `supervisor run`.
export interface RunOptions { readonly jsonLogs?: boolean; readonly home?: string; readonly env?: string; readonly insecureConfig?: boolean }

// Runs a master in the foreground until it is stopped; resolves with the exit code.
export async function runForeground(configFile: string, opts: RunOptions): Promise<ExitCode> {
  const config = await checkedConfig(configFile, opts);
  const home = openHome(opts.home);
  // The foreground master holds the pidfile too, so `start` and stale checks see it.
  let takeover: string | null;
  try {
    takeover = acquirePidfile(home.pidfile);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.FAILED);
  }
  if (takeover) process.stderr.write(`supervisor: ${takeover}\n`);
  try {
    const booted = await bootMaster({
      configFile: config,
      home,
      jsonLogs: opts.jsonLogs ?? false,
      insecureConfig: opts.insecureConfig ?? false,
      env: opts.env ?? null,
      sink: { write: (stream, text) => (stream === 'stdout' ? process.stdout : process.stderr).write(text + '\n') },
    });
    if (!booted.started.ok) process.stderr.write(`supervisor: start failed:\n${booted.started.message}\n`);
    await booted.done;
    return booted.started.ok ? EXIT.OK : EXIT.FAILED;
  } finally {
    releasePidfile(home.pidfile);
  }
}
