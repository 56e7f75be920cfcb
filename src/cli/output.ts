// How the CLI prints: errors as one clear line on stderr, then the exit code.
import type { ExitCode } from './exit-codes.js';

// An error the CLI reports and exits with.
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCode) {
    super(message);
    this.name = 'CliError';
  }
}

// Prints `message` as "supervisor: message" on stderr.
export function printError(message: string): void {
  process.stderr.write(`supervisor: ${message}\n`);
}
