// The error codes of the control protocol: a closed set, produced by the master and passed
// through the control socket unchanged. docs/protocols.md and docs/cli.md list each; the CLI
// maps each to an exit code (src/cli/exit-codes.ts).

// Every error code, in the order the docs list them.
export const ERROR_CODES = [
  'E_BAD_REQUEST',
  'E_VERSION',
  'E_UNKNOWN_APP',
  'E_CONFIG',
  'E_BIND',
  'E_ABORTED',
  'E_FATAL',
  'E_BUSY',
  'E_SHUTTING_DOWN',
  'E_TIMEOUT',
  'E_INTERNAL',
  'E_TOO_LARGE',
  'E_UPGRADE',
] as const;

// One error code.
export type ErrorCode = (typeof ERROR_CODES)[number];

// True for a string that is one of the codes (answers from another version may carry others).
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
