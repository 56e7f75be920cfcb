// Tests that run a worker or the CLI as user nobody need root, and a checkout and a node that
// nobody can read (a clone under a private folder, such as one made by `mktemp -d`, is not).
import { spawnSync } from 'node:child_process';
import { CLI, fixture } from './paths.js';

let answer: string | null | undefined;

// Null when processes can run as nobody here; else why not (for a skip or a diagnostic).
export function nobodyCannot(): string | null {
  if (answer !== undefined) return answer;
  if (process.getuid?.() !== 0) return (answer = 'the tests do not run as root');
  const check = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'sh', '-c', 'test -x "$1" && test -r "$2" && test -r "$3"', 'sh', process.execPath, CLI, fixture('slow-boot.mjs')], { timeout: 10_000 });
  answer = check.status === 0 ? null : `user nobody cannot read this checkout or run ${process.execPath} (is it under a private folder?)`;
  return answer;
}
