// Which version runs and which is installed: a master keeps the version it booted with, while
// the package on disk may have been replaced since (`supervisor upgrade` starts that one).
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { version } from '../cli/version.js';

// The version of the code this process runs, read once when it was loaded.
export const RUNNING_VERSION = version();

// The CLI entry a new master starts from: the path this master was started with, resolved
// again now (a link or a reinstalled package may point elsewhere since).
export function installedEntry(): string {
  const started = process.argv[1];
  if (!started) throw new Error('this process was not started from a script path');
  return realpathSync(started);
}

// The version in the package.json of the package that holds `entry` (dist/src/cli/main.js).
export function installedVersion(entry: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
