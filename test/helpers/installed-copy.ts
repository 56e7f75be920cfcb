// A copy of this package installed at one path, as a user's global install would be, so an
// upgrade test can change what is installed (a new version, a broken one) under a running
// master: its dist and package.json are copied, node_modules is a link to ours.
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';
import { cli, type CliResult } from './cli.js';

// One installed copy: its CLI entry, and ways to replace what is installed.
export interface InstalledCopy {
  readonly dir: string;
  readonly cli: string;
  // Installs version `v` at the same path (package.json's version, as `npm install` would).
  setVersion(v: string): void;
  // Installs a build whose master dies at boot, before it reads anything.
  breakMaster(): void;
}

// Copies the built package into `dir`.
export function installCopy(dir: string): InstalledCopy {
  cpSync(path.join(ROOT, 'dist', 'src'), path.join(dir, 'dist', 'src'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const cli = path.join(dir, 'dist', 'src', 'cli', 'main.js');
  const pkgFile = path.join(dir, 'package.json');
  return {
    dir,
    cli,
    setVersion(v) {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(pkgFile, JSON.stringify({ ...pkg, version: v }, null, 2));
    },
    breakMaster() {
      const real = readFileSync(cli, 'utf8');
      writeFileSync(cli, real.replace(/^(#!.*\n)/, '$1if (process.argv.includes(\'master-daemon\')) throw new Error(\'this build crashes at boot\');\n'));
    },
  };
}

// Runs the copy's `supervisor <args>` with SUPERVISOR_HOME=`home`; killed after `timeoutMs`.
export function cliOf(copy: InstalledCopy, home: string, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return cli(home, args, {}, timeoutMs, undefined, copy.cli);
}
