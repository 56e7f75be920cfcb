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
  .addHelpText('after', '\nExit codes: 0 stopped cleanly, 1 start failed, 2 bad usage or config.')
  .action(async (config: string, opts: { jsonLogs?: boolean }) => {
    const { runForeground } = await import('./run.js');
    process.exitCode = await runForeground(config, opts);
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
