// `supervisor start <config>`: starts a daemon master and returns once every app's workers
// are ready. If a master is already running in this home, it says so and adds or updates
// the apps of <config> through the control socket instead of starting a second one.
import { launchDaemon } from '../runtime/daemonize.js';
import { liveMasterPid } from '../runtime/pidfile.js';
import { callMaster } from './call.js';
import { checkedConfig } from './config-arg.js';
import { EXIT, exitCodeOf, type ExitCode } from './exit-codes.js';
import { openHome } from './home-access.js';
import { CliError } from './output.js';
import { ecosystemFor, isFileTarget, type ScriptOptions } from './script-mode.js';

// Options of `supervisor start` (the script options apply to `start app.js`).
export interface StartOptions extends ScriptOptions { readonly home?: string; readonly umask?: string; readonly jsonLogs?: boolean; readonly env?: string; readonly insecureConfig?: boolean; readonly watchConfig?: boolean }

function parseUmask(text: string | undefined): number {
  const value = text ?? '022';
  if (!/^0?[0-7]{3}$/.test(value)) throw new CliError(`--umask: expected an octal mode like 022 or 0027, got "${value}"`, EXIT.USAGE);
  return parseInt(value, 8);
}

// A master that answers on the socket: its pid, or null when none runs.
async function runningMaster(home: string): Promise<number | null> {
  try {
    const res = await callMaster({ home }, 'ping');
    return (res.data as { pid: number }).pid;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.NO_MASTER) return null;
    throw error;
  }
}

// `start <app>`: an app stopped with `stop <app>` (or fatal) starts again in the running master.
async function startApp(app: string, opts: StartOptions): Promise<ExitCode> {
  try {
    const res = await callMaster({ home: opts.home }, 'start', { app }, true, 'start failed: ');
    process.stdout.write(`${res.message ?? `${app} started`}\n`);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.NO_MASTER) throw new CliError(`"${app}" is not a file, and no master is running to start an app of that name`, EXIT.NO_MASTER);
    throw error;
  }
}

// Starts the daemon (or updates the running one); resolves with the exit code. The config is
// evaluated once, by the master that runs it (the daemon, or the running master), which
// reports a bad config back with E_CONFIG: the launcher does not evaluate it itself.
export async function start(target: string, opts: StartOptions, args: readonly string[] = []): Promise<ExitCode> {
  if (!isFileTarget(target)) return startApp(target, opts);
  const umask = parseUmask(opts.umask);
  const home = openHome(opts.home);
  checkedConfig(target, { insecureConfig: true }); // readable: the script check below reads it
  const config = checkedConfig(ecosystemFor(target, opts, args, home.dir), opts);
  const pid = await runningMaster(home.dir);
  if (pid !== null) {
    process.stdout.write(`a master is already running (pid ${pid}); adding or updating the apps of ${config}\n`);
    if (opts.watchConfig !== undefined) process.stdout.write(`--${opts.watchConfig ? '' : 'no-'}watch-config applies to a master that starts; this one watches the files whose "watch_config" is true\n`);
    const res = await callMaster({ home: home.dir }, 'start', { config, env: opts.env ?? null }, true, 'start failed: ');
    if (res.message) process.stdout.write(`${res.message}\n`);
    return EXIT.OK;
  }
  const holder = liveMasterPid(home.pidfile);
  if (holder !== null) throw new CliError(`a master (pid ${holder}) holds ${home.pidfile} but does not answer on ${home.socket}; it may still be starting`, EXIT.FAILED);
  const result = await launchDaemon({
    config, home, umask, jsonLogs: opts.jsonLogs ?? false, env: opts.env ?? null, insecureConfig: opts.insecureConfig ?? false, watchConfig: opts.watchConfig ?? null,
    progress: (line) => process.stdout.write(`${line}\n`),
  });
  if (!result.ok && result.kind === 'config') throw new CliError(`config rejected, nothing changed:\n${result.message}`, EXIT.USAGE);
  if (!result.ok && result.kind === 'running') throw new CliError(`start failed: ${result.message}`, EXIT.FAILED);
  if (!result.ok) {
    // The daemon has exited: say so, and where its log is, not how to reload it.
    const advice = `No master is left running. The master log is ${home.masterLog}. Once the cause is fixed, run "supervisor start ${config}" again.`;
    throw new CliError(`start failed: ${result.message}\n${advice}`, result.code ? exitCodeOf(result.code) : EXIT.FAILED);
  }
  process.stdout.write(`master started (pid ${result.pid}); every app's workers are ready. Logs: ${home.logs}\n`);
  return EXIT.OK;
}
