#!/usr/bin/env node
// The `supervisor` command: parses argv and hands each verb to its own module, loaded
// lazily so that quick verbs (status) never load the master's code.
import { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { CliError, printError } from './output.js';

const program = new Command();
program
  .name('supervisor')
  .description('Keeps long-lived workers up and reloads them gracefully: new workers first, then the old ones finish and exit.')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
  });

program
  .command('run')
  .description('Run the master in the foreground (for containers, systemd and development).')
  .argument('<config>', 'ecosystem file (.json, .config.js, .cjs, .mjs)')
  .option('--json-logs', 'write one JSON object per log line')
  .option('--home <dir>', 'runtime home for the control socket and logs (default $SUPERVISOR_HOME or ~/.supervisor)')
  .option('--exit-when-idle', 'exit 1 once no app runs because apps are fatal (so the orchestrator restarts the pod); a start where some app runs keeps going')
  .addHelpText('after', '\nExit codes: 0 stopped cleanly, 1 start failed or (with --exit-when-idle) every app fatal, 2 bad usage or config.')
  .action(async (config: string, opts: { jsonLogs?: boolean; home?: string; exitWhenIdle?: boolean }) => {
    const { runForeground } = await import('./run.js');
    process.exitCode = await runForeground(config, opts);
  });

program
  .command('status')
  .description('Show every app and worker: pid, state, generation, uptime, restarts.')
  .option('--json', 'print the stable JSON shape')
  .option('--home <dir>', 'runtime home (default $SUPERVISOR_HOME or ~/.supervisor)')
  .addHelpText('after', '\nExit codes: 0 printed, 3 no master running, 5 permission denied.')
  .action(async (opts: { json?: boolean; home?: string }) => {
    const { status } = await import('./status.js');
    process.exitCode = await status(opts);
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

try {
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
