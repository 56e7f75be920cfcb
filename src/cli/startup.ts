// `supervisor startup systemd <config>`: prints a systemd unit that runs the master at boot,
// or with --install writes it to /etc/systemd/system/<name>.service.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigIsolated } from '../config/load-isolated.js';
import { renderSystemdUnit, UNIT_NAME } from '../deploy/systemd-unit.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';

// Options of `supervisor startup`.
export interface StartupOptions {
  readonly name?: string;
  readonly user?: string;
  readonly home?: string;
  readonly install?: boolean;
  readonly unitDir?: string;
}

// Prints or installs the unit; resolves with the exit code.
export async function startup(platform: string, configFile: string, opts: StartupOptions): Promise<ExitCode> {
  if (platform !== 'systemd') throw new CliError(`unsupported platform "${platform}"; expected "systemd"`, EXIT.USAGE);
  const name = opts.name ?? 'supervisor';
  if (!UNIT_NAME.test(name)) throw new CliError(`--name "${name}": expected letters, digits, ":", "_", ".", "@" or "-"`, EXIT.USAGE);
  const loaded = await loadConfigIsolated(path.resolve(configFile), { insecure: true });
  if (!loaded.ok) throw new CliError(loaded.error.message, EXIT.USAGE);
  const config = loaded.config;
  const cli = [process.execPath, path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js')];
  const unit = renderSystemdUnit({ name, config, cli, home: opts.home ? path.resolve(opts.home) : null, user: opts.user ?? null });
  if (!opts.install) {
    process.stdout.write(unit);
    return EXIT.OK;
  }
  const file = path.join(opts.unitDir ?? '/etc/systemd/system', `${name}.service`);
  try {
    writeFileSync(`${file}.tmp`, unit, { mode: 0o644 });
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`cannot write ${file}: permission denied (run as root)`, EXIT.PERMISSION);
    throw new CliError(`cannot write ${file}: ${code ?? String(error)}`, EXIT.FAILED);
  }
  process.stdout.write(`wrote ${file}\nnext: systemctl daemon-reload && systemctl enable --now ${name}\n`);
  return EXIT.OK;
}
