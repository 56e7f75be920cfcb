// What the file given to `start`, `run` or `check` is: an ecosystem file, or a script to run
// as one app (`supervisor start app.js`, as `pm2 start app.js`). Decided without running it:
// by its name (.json/.yaml, *.config.js, ecosystem*), then, for other .js files, by whether
// its text exports an `apps` list. A script is never evaluated by the CLI or the loader.
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

// A config file, or a script.
export type TargetKind = 'config' | 'script';

const CONFIG_NAME = /\.(json|ya?ml)$|\.config\.(c|m)?js$|^ecosystem/i;
const JS = /\.(c|m)?js$/;
const EXPORTS = /\bmodule\.exports\b|\bexports\.apps\b|\bexport\s+(default\b|(const|let|var)\s+apps\b)/;
const APPS_KEY = /(^|[\s{,(])['"]?apps['"]?\s*:|[{,]\s*apps\s*[,}]|\.apps\s*=|\bexport\s+(const|let|var)\s+apps\b/m;
// Enough of a file to see its exports; configs are small.
const HEAD_BYTES = 256 * 1024;

function head(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    return buf.toString('utf8', 0, readSync(fd, buf, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

// The kind of an existing, readable file.
export function targetKind(file: string): TargetKind {
  const base = path.basename(file);
  if (CONFIG_NAME.test(base)) return 'config';
  if (!JS.test(base)) return 'script';
  const text = head(file);
  return EXPORTS.test(text) && APPS_KEY.test(text) ? 'config' : 'script';
}
