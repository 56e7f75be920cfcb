// `supervisor run <config>`: the master in the foreground (containers, systemd, development).
// It serves the control socket like the daemon, so every verb works against it.
import { bootMaster } from '../master/boot.js';
import { acquirePidfile, releasePidfile } from '../runtime/pidfile.js';
import { formatNotice } from '../master/log-lines.js';
import { pid1Warning } from '../runtime/pid1.js';
import { closeInheritedFds } from '../runtime/inherited-fds.js';
import { consoleSink } from '../runtime/console-sink.js';
import { loadedConfig } from './config-arg.js';
import { openHome } from './home-access.js';
import { CliError } from './output.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { ecosystemFor, type ScriptOptions } from './script-mode.js';
import { checkedConfig } from './config-arg.js';

// Options of `supervisor run` (the script options apply to `run app.js`).
export interface RunOptions extends ScriptOptions {
  readonly jsonLogs?: boolean;
  readonly home?: string;
  readonly env?: string;
  readonly insecureConfig?: boolean;
  readonly exitWhenIdle?: boolean;
  readonly watchConfig?: boolean;
}

// Runs a master in the foreground until it is stopped; resolves with the exit code.
export async function runForeground(target: string, opts: RunOptions, args: readonly string[] = []): Promise<ExitCode> {
  closeInheritedFds(); // before anything is opened or spawned: no worker gets them
  // stdout/stderr may be a file on a full disk: a failed log write must never kill the master.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const home = openHome(opts.home);
  checkedConfig(target, { insecureConfig: true });
  // Read once here (in the loader child, in the file's folder); the master boots with it.
  const preloaded = await loadedConfig(ecosystemFor(target, opts, args, home.dir), opts);
  const jsonLogs = opts.jsonLogs ?? false;
  // Our own lines go to stderr, as JSON too with --json-logs.
  const say = (level: 'warn' | 'error', message: string) => process.stderr.write(formatNotice({ type: 'log', level, message }, jsonLogs)!.text + '\n');
  const warning = pid1Warning();
  if (warning) say('warn', warning);
  // The foreground master holds the pidfile too, so `start` and stale checks see it.
  let takeover: string | null;
  try {
    takeover = acquirePidfile(home.pidfile);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.FAILED);
  }
  if (takeover) say('warn', takeover);
  try {
    const booted = await bootMaster({
      configFile: preloaded.file,
      preloaded,
      home,
      jsonLogs,
      insecureConfig: opts.insecureConfig ?? false,
      env: opts.env ?? null,
      exitWhenIdle: opts.exitWhenIdle ?? false,
      watchConfig: opts.watchConfig ?? null,
      sink: consoleSink((n) => formatNotice({ type: 'log', level: 'warn', message: `${n} log line(s) dropped here: this output did not keep up` }, jsonLogs)!.text),
    });
    if (!booted.started.ok) {
      // Advice that is true in the state the user is left in: the master exits, or keeps the others running.
      const [what, advice] = booted.failure()
        ? ['start failed', 'The master exits and leaves nothing running; once the cause is fixed, start it again.']
        : ['some apps did not start; the others keep running (--exit-when-idle)', 'Once the cause is fixed, "supervisor reload <app>" starts a fatal app again.'];
      say('error', `${what}:\n${booted.started.message}\n${advice}`);
    }
    await booted.done;
    const failure = booted.failure();
    if (failure && failure !== 'start failed') say('error', `stopped: ${failure}`);
    return failure === null ? EXIT.OK : EXIT.FAILED;
  } finally {
    releasePidfile(home.pidfile);
  }
}
