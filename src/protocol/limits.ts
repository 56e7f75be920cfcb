// Limits shared by the config file and the control protocol, so the socket (the real API)
// accepts exactly what a config may say. Free of zod: the master and the CLI load it.

// The most workers one app may have (instances in a config, scale over the socket).
export const MAX_INSTANCES = 1024;

// The longest app name, in characters.
export const APP_NAME_MAX_LENGTH = 200;

// An app name: no "/" (names become log file names), no control characters, not "." or "..".
export const APP_NAME_PATTERN = /^(?!\.\.?$)[^/\x00-\x1f\x7f]+$/;

// The longest request line the control socket reads; a longer one is refused with E_TOO_LARGE.
export const MAX_REQUEST_BYTES = 1024 * 1024;
