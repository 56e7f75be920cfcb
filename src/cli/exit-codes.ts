// The exit codes of every `supervisor` verb. docs/cli.md documents each; a test checks that.

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
