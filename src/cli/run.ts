// `supervisor run <config>`: the master in the foreground (containers, systemd, development).
import path from 'node:path';
import { Master } from '../master/master.js';
import { realEffects } from '../master/real-effects.js';
import { installSignalHandlers } from '../master/signals.js';
import { formatNotice } from '../master/log-lines.js';
import { EXIT, type ExitCode } from './exit-codes.js';

// Options of `supervisor run`.
export interface RunOptions { readonly jsonLogs?: boolean }

// Runs a master in the foreground until it is stopped; resolves with the exit code.
export async function runForeground(configFile: string, opts: RunOptions): Promise<ExitCode> {
  const master = new Master(realEffects({ listenFds: () => ({ fds: [], names: [] }), uidGid: () => ({}) }));
  master.observe((notice) => {
    const line = formatNotice(notice, opts.jsonLogs ?? false);
    if (line) (line.stream === 'stdout' ? process.stdout : process.stderr).write(line.text + '\n');
  });
  const removeHandlers = installSignalHandlers(master);
  const started = await master.start(path.resolve(configFile));
  if (!started.ok) {
    process.stderr.write(`supervisor: start failed:\n${started.message}\n`);
    master.shutdown('start failed');
    await master.whenStopped();
    removeHandlers();
    return EXIT.FAILED;
  }
  await master.whenStopped();
  removeHandlers();
  return EXIT.OK;
}
