// The exit codes of every `supervisor` verb, and the one each error code of the master maps
// to. docs/cli.md documents both; tests check that.
import type { ErrorCode } from '../protocol/codes.js';

// Exit codes as a contract, s6-style.
export const EXIT = {
  OK: 0,
  // The request ran but did not succeed (a reload aborted, an app went fatal, a stop timed out).
  FAILED: 1,
  // Bad usage or a bad config file; nothing was changed.
  USAGE: 2,
  // No master is running (for verbs that need one).
  NO_MASTER: 3,
  // The named app does not exist.
  UNKNOWN_APP: 4,
  // Permission denied: the home or the control socket belongs to someone else.
  PERMISSION: 5,
  // The master did not answer in time.
  TIMEOUT: 6,
} as const;

// One of the documented exit codes.
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// The exit code for each error code the master can answer with.
export const EXIT_FOR_CODE: Readonly<Record<ErrorCode, ExitCode>> = {
  E_BAD_REQUEST: EXIT.USAGE,
  E_VERSION: EXIT.USAGE,
  E_UNKNOWN_APP: EXIT.UNKNOWN_APP,
  E_CONFIG: EXIT.USAGE,
  E_BIND: EXIT.FAILED,
  E_ABORTED: EXIT.FAILED,
  E_FATAL: EXIT.FAILED,
  E_BUSY: EXIT.FAILED,
  E_SHUTTING_DOWN: EXIT.FAILED,
  E_TIMEOUT: EXIT.TIMEOUT,
  E_INTERNAL: EXIT.FAILED,
  E_TOO_LARGE: EXIT.USAGE,
  E_UPGRADE: EXIT.FAILED,
};

// The exit code for an answer's error code (a code this CLI does not know is a failure).
export function exitCodeOf(code: string | undefined): ExitCode {
  return code !== undefined && Object.hasOwn(EXIT_FOR_CODE, code) ? EXIT_FOR_CODE[code as ErrorCode] : EXIT.FAILED;
}
