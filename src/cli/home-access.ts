// Opening the runtime home for a verb that writes to it (start, run): a home that cannot be
// created or written is a one-line error with exit code 5, before anything else happens.
import { accessSync, constants } from 'node:fs';
import { ensureHome, resolveHome, type HomePaths } from '../runtime/home.js';
import { EXIT } from './exit-codes.js';
import { CliError } from './output.js';

// Creates (0700) and checks the home named by --home, $SUPERVISOR_HOME or the default.
export function openHome(flag: string | undefined): HomePaths {
  const dir = resolveHome(flag);
  try {
    const paths = ensureHome(dir);
    accessSync(paths.dir, constants.W_OK);
    accessSync(paths.logs, constants.W_OK);
    return paths;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new CliError(`the home ${dir} is not usable: ${e.code === 'EPERM' ? e.message : `${e.code ?? e.message}; expected a directory you can write (set --home or SUPERVISOR_HOME)`}`, EXIT.PERMISSION);
  }
}
