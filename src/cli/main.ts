#!/usr/bin/env -S node --max-semi-space-size=1
// The `supervisor` command: parses argv and hands each verb to its own module, loaded
// lazily so that quick verbs (status) never load the master's code. The shebang gives
// `supervisor run` the master's node flags (src/runtime/master-flags.ts says why; a test
// keeps the two lists equal).
import { EXIT } from './exit-codes.js';
import { CliError, printError } from './output.js';
// Quick path: a plain `status`, `reload` or `restart` never loads commander.
import { quickRoll, quickStatus } from './quick-status.js';

const quick = (await quickStatus(process.argv.slice(2))) ?? (await quickRoll(process.argv.slice(2)));
if (quick !== null) process.exit(quick); // stdout/stderr writes are synchronous on Linux: nothing is lost
const { Command } = await import('commander');

const HOME_HELP = 'runtime home for the pidfile, control socket and logs (default $SUPERVISOR_HOME or ~/.supervisor)';
const WATCH_HELP = 'reload a config file when it changes on disk, whatever its "watch_config" says';
const NO_WATCH_HELP = 'never reload on file changes, whatever "watch_config" says (default: each file\'s "watch_config", which is off)';

// Options of `run` and `start`; commander gives --no-metrics as metrics: false.
type RunOptions = import('./run.js').RunOptions;
type StartOptions = import('./start.js').StartOptions;
const scriptOpts = <T extends { metrics?: boolean }>(o: T): T => (o.metrics === true ? { ...o, metrics: undefined } : o);

const program = new Command();
const { version } = (await import('./version.js'));
program
  .name('supervisor')
  .version(version(), '-v, --version', 'print the version')
  .description('Keeps long-lived workers up and reloads them gracefully: new workers first, then the old ones finish and exit.')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
  });

// The arguments and options `run` and `start` take for a script instead of an ecosystem file.
const withScriptOptions = (c: InstanceType<typeof Command>) => c
  .argument('[args...]', 'arguments for the script (after --)')
  .option('-i, --instances <n>', 'script: number of workers (0 or "max": one per CPU, -1: one fewer)')
  .option('--name <name>', 'script: the app name (default: the file name without its extension)')
  .option('--listen <address>', 'script: an address the master binds and the workers inherit (a port, tcp://host:port, unix:/path)')
  .option('--no-metrics', 'script: no metrics endpoint');

const SCRIPT_HELP = '\nA script instead of an ecosystem file runs as one app (as `pm2 start app.js`): -i N, --name, --listen, --no-metrics, and arguments for it after --.';

withScriptOptions(program
  .command('run')
  .description('Run the master in the foreground (for containers, systemd and development).')
  .argument('<config>', 'ecosystem file (.json, .yaml, .config.js, .cjs, .mjs), or a script'))
  .option('--json-logs', 'write one JSON object per log line')
  .option('--home <dir>', 'runtime home for the control socket and logs (default $SUPERVISOR_HOME or ~/.supervisor)')
  .option('--insecure-config', 'accept a config file that other users could write')
  .option('--env <name>', 'merge each app\'s env_<name> block over env (PM2 style); kept for reloads')
  .option('--exit-when-idle', 'exit 1 once no app runs because apps are fatal (so the orchestrator restarts the pod); a start where some app runs keeps going')
  .option('--watch-config', WATCH_HELP)
  .option('--no-watch-config', NO_WATCH_HELP)
  .addHelpText('after', `${SCRIPT_HELP}\n\nExit codes: 0 stopped cleanly, 1 start failed or (with --exit-when-idle) every app fatal, 2 bad usage or config, 5 home not writable.`)
  .action(async (config: string, args: string[], opts: RunOptions) => {
    const { runForeground } = await import('./run.js');
    // Exit explicitly: an orphaned grandchild holding a pipe must not keep the master up.
    process.exit(await runForeground(config, scriptOpts(opts), args));
  });

program
  .command('status')
  .aliases(['ls', 'list', 'ps'])
  .description('Show every app and worker: pid, state, generation, uptime, restarts, CPU %, memory.')
  .argument('[app]', 'only this app')
  .option('--json', 'print the stable JSON shape')
  .option('-w, --watch', 'redraw every second until Ctrl-C (also: supervisor monit)')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 printed (or --watch ended by Ctrl-C), 3 no master running, 4 unknown app, 5 permission denied.')
  .action(async (app: string | undefined, opts: { json?: boolean; watch?: boolean; home?: string }) => {
    const all = { ...opts, ...(app === undefined ? {} : { app }) };
    if (opts.watch) {
      const { statusWatch } = await import('./status-watch.js');
      process.exit(await statusWatch(all));
    }
    const { status } = await import('./status.js');
    process.exitCode = await status(all);
  });

program
  .command('monit')
  .description('A live view of every worker (CPU, memory, state, generation), redrawn every second until Ctrl-C: status --watch.')
  .argument('[app]', 'only this app')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 ended by Ctrl-C, 3 no master running, 4 unknown app, 5 permission denied.')
  .action(async (app: string | undefined, opts: { home?: string }) => {
    const { statusWatch } = await import('./status-watch.js');
    process.exit(await statusWatch({ ...opts, ...(app === undefined ? {} : { app }) }));
  });

program
  .command('describe')
  .description('Show one app in full: state, config file, spec (env variable names, not values), workers, the last exit and why, log files.')
  .argument('<app>', 'the app')
  .option('--json', 'print it as JSON')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 printed, 3 no master running, 4 unknown app, 5 permission denied.')
  .action(async (app: string, opts: { json?: boolean; home?: string }) => {
    const { describe } = await import('./describe.js');
    process.exitCode = await describe(app, opts);
  });

program
  .command('check')
  .description('Validate an ecosystem file without a master: print every problem, or a summary of what would run.')
  .argument('<config>', 'ecosystem file (.json, .yaml, .config.js, .cjs, .mjs), or a script (checked as `start` would run it, never run)')
  .option('--env <name>', "check with each app's env_<name> block merged over env")
  .addHelpText('after', '\nExit codes: 0 valid, 2 invalid (every problem is printed).')
  .action(async (config: string, opts: { env?: string }) => {
    const { check } = await import('./check.js');
    process.exitCode = await check(config, opts);
  });

// Daemon and control-plane verbs; docs/cli.md documents each exit code.
withScriptOptions(program
  .command('start')
  .description('Start a daemon master; return once every app\'s workers are ready. If a master runs already, add or update the apps of <config>. With an app name, start that app again after `stop <app>`.')
  .argument('<config>', 'ecosystem file (.json, .yaml, .config.js, .cjs, .mjs), a script, or the name of a stopped app'))
  .option('--umask <mode>', 'umask of the daemon, octal', '022')
  .option('--json-logs', 'write one JSON object per log line')
  .option('--env <name>', "merge each app's env_<name> block over env (PM2 style); kept for reloads")
  .option('--insecure-config', 'accept a config file that other users could write')
  .option('--home <dir>', HOME_HELP)
  .option('--watch-config', WATCH_HELP)
  .option('--no-watch-config', NO_WATCH_HELP)
  .addHelpText('after', `${SCRIPT_HELP}\n\nExit codes: 0 ready (or apps updated, or the app started), 1 start failed (worker crash, port in use), 2 bad usage or config, 3 an app name but no master running, 4 unknown app, 5 home not writable or socket of another user.`)
  .action(async (config: string, args: string[], opts: StartOptions) => {
    const { start } = await import('./start.js');
    process.exitCode = await start(config, scriptOpts(opts), args);
  });

program
  .command('stop')
  .description('Stop one app gracefully, or every app and then the master (waits until it has exited).')
  .argument('[app]', 'only this app')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 stopped, 1 failed, 3 no master running, 4 unknown app, 5 permission denied, 6 the master did not exit in time.')
  .action(async (app: string | undefined, opts: { home?: string }) => {
    const { stop } = await import('./stop.js');
    process.exitCode = await stop(app, opts);
  });

program
  .command('upgrade')
  .description('Replace the running master with the installed version without dropping a request (same as SIGUSR2): the new master takes the listening sockets, starts every app, and only then the old one finishes its workers and exits. Waits and prints progress.')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 upgraded (the old master has exited), 1 the new master did not take over (the old one keeps serving, unchanged) or the master runs under "supervisor run", 3 no master running, 5 permission denied, 6 the old master did not exit in time.')
  .action(async (opts: { home?: string }) => {
    const { upgrade } = await import('./upgrade.js');
    process.exitCode = await upgrade(opts);
  });

program
  .command('version')
  .description('Print the installed version and the running master\'s.')
  .option('--home <dir>', HOME_HELP)
  .option('--json', 'as JSON')
  .action(async (opts: { home?: string; json?: boolean }) => {
    const { versions } = await import('./versions.js');
    process.exitCode = await versions(opts);
  });

for (const verb of ['reload', 'restart'] as const) {
  program
    .command(verb)
    .description(verb === 'reload'
      ? 'Rolling reload (same path as SIGHUP): new workers first, then the old ones finish and exit. Waits and prints progress.'
      : 'Restart every worker at once (not graceful). Waits and prints progress.')
    .argument('[app]', 'only this app')
    .option('--home <dir>', HOME_HELP)
    .addHelpText('after', `\nExit codes: 0 done, 1 ${verb} aborted or failed, or the config no longer loads (the reason is printed), 3 no master running, 4 unknown app, 5 permission denied.`)
    .action(async (app: string | undefined, opts: { home?: string }) => {
      const { roll } = await import('./reload.js');
      process.exitCode = await roll(verb, app, opts);
    });
}

program
  .command('scale')
  .description('Set the number of workers of an app, adding or retiring workers without touching the others.')
  .argument('<app>', 'the app')
  .argument('<n>', 'number of workers (0..1024)')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 scaled, 1 failed, 2 bad number, 3 no master running, 4 unknown app, 5 permission denied.')
  .action(async (app: string, n: string, opts: { home?: string }) => {
    const { scale } = await import('./scale.js');
    process.exitCode = await scale(app, n, opts);
  });

program
  .command('delete')
  .description('Stop one app gracefully and forget it until its config file is read again (supervisor reload, or a change to the file). Waits and prints progress.')
  .argument('<app>', 'the app')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 deleted, 1 failed, 3 no master running, 4 unknown app, 5 permission denied.')
  .action(async (app: string, opts: { home?: string }) => {
    const { deleteApp } = await import('./delete.js');
    process.exitCode = await deleteApp(app, opts);
  });

program
  .command('forget')
  .description('Drop a config file from the master: its apps stop gracefully and leave; it is no longer reloaded or watched. Waits and prints progress.')
  .argument('<config>', 'the ecosystem file, as it was started')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 forgotten, 1 failed, 3 no master running, 4 the master has no such config file, 5 permission denied.')
  .action(async (config: string, opts: { home?: string }) => {
    const { forget } = await import('./forget.js');
    process.exitCode = await forget(config, opts);
  });

program
  .command('logs')
  .description('Print the last lines of the log files (one app, or every app and the master); -f follows them.')
  .argument('[app]', 'only this app')
  .option('-f, --follow', 'keep printing new lines until interrupted')
  .option('-n, --lines <n>', 'lines to print from the end of each file', '20')
  .option('--json', 'one JSON object per line, with the fields of --json-logs')
  .option('--home <dir>', HOME_HELP)
  .addHelpText('after', '\nExit codes: 0 printed (or nothing yet, said on stderr), 1 failed, 2 bad -n, 3 no master running and no log files, 4 unknown app, 5 permission denied. With no master running, the home\'s default log files are read.')
  .action(async (app: string | undefined, opts: { follow?: boolean; lines?: string; home?: string; json?: boolean }) => {
    const { logs } = await import('./logs.js');
    process.exitCode = await logs(app, opts);
  });

program
  .command('master-daemon', { hidden: true })
  .argument('<config>')
  .requiredOption('--home <dir>')
  .requiredOption('--umask <mode>')
  .option('--json-logs')
  .option('--env <name>')
  .option('--insecure-config')
  .option('--watch-config')
  .option('--no-watch-config')
  .action(async (config: string, opts: { home: string; umask: string; jsonLogs?: boolean; env?: string; insecureConfig?: boolean; watchConfig?: boolean }) => {
    const { daemonMain } = await import('./master-daemon.js');
    process.exitCode = await daemonMain(config, opts);
  });

program
  .command('metrics')
  .description('Print the Prometheus metrics the endpoint serves: the supervisor\'s own and the workers\' merged.')
  .option('--openmetrics', 'print the OpenMetrics format instead of the Prometheus text format')
  .option('--home <dir>', 'runtime home (default $SUPERVISOR_HOME or ~/.supervisor)')
  .addHelpText('after', '\nExit codes: 0 printed, 1 the master failed to answer, 3 no master running, 5 permission denied, 6 the master did not answer in time.')
  .action(async (opts: { openmetrics?: boolean; home?: string }) => {
    const { metrics } = await import('./metrics.js');
    process.exitCode = await metrics(opts);
  });

program
  .command('startup')
  .description('Print a systemd unit that runs the master at boot (with --install, write it).')
  .argument('<platform>', 'the init system; only "systemd"')
  .argument('<config>', 'ecosystem file the unit runs')
  .option('--name <name>', 'unit name, without .service', 'supervisor')
  .option('--user <user>', 'run the master as this user (default root)')
  .option('--home <dir>', 'SUPERVISOR_HOME of the service (default /var/lib/<name>, created by systemd)')
  .option('--install', 'write <unit-dir>/<name>.service instead of printing it')
  .option('--unit-dir <dir>', 'where --install writes', '/etc/systemd/system')
  .addHelpText('after', '\nExit codes: 0 printed or written, 1 write failed, 2 bad usage or config, 5 permission denied.')
  .action(async (platform: string, config: string, opts: { name?: string; user?: string; home?: string; install?: boolean; unitDir?: string }) => {
    const { startup } = await import('./startup.js');
    process.exitCode = await startup(platform, config, opts);
  });

program
  .command('completion')
  .description('Print a shell completion script: source <(supervisor completion bash), or for zsh: source <(supervisor completion zsh).')
  .argument('<shell>', 'bash or zsh')
  .addHelpText('after', '\nExit codes: 0 printed, 2 unknown shell.')
  .action(async (shell: string) => {
    const { completion } = await import('./completion.js');
    process.exitCode = await completion(shell, program);
  });

try {
  const { unknownVerb } = await import('./unknown-verb.js');
  const unknown = unknownVerb(process.argv.slice(2), program);
  if (unknown !== null) throw new CliError(unknown, EXIT.USAGE);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError) {
    printError(error.message);
    process.exitCode = error.exitCode;
  } else {
    printError((error as Error).stack ?? String(error));
    process.exitCode = EXIT.FAILED;
  }
}
