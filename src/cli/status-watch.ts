// `supervisor status --watch` (and `monit`): the status table redrawn every second, with CPU,
// memory, state and generation per worker, until Ctrl-C. On a terminal each frame replaces the
// last; piped, frames follow one another. A master that goes away is shown, not fatal: the
// view picks it up again when it is back.
import type { StatusReport } from '../master/status.js';
import { callMaster } from './call.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { CliError } from './output.js';
import { onlyApp, statusJson, type StatusOptions } from './status.js';
import { renderStatusTable } from './status-table.js';

// How often the view redraws.
const EVERY_MS = 1_000;
// A status answer later than this shows as "no answer" in the frame.
const ANSWER_MS = 5_000;

async function frame(opts: StatusOptions): Promise<string> {
  const res = await callMaster(opts, 'status', {}, false, '', ANSWER_MS);
  return renderStatusTable(onlyApp(statusJson(res.data as StatusReport), opts.app).apps);
}

// Redraws until SIGINT/SIGTERM; resolves with 0 then. The first frame's error is the verb's.
export async function statusWatch(opts: StatusOptions): Promise<ExitCode> {
  const tty = process.stdout.isTTY === true;
  const draw = (body: string) => {
    const head = `supervisor status --watch: ${new Date().toISOString()} (every ${EVERY_MS / 1000} s, Ctrl-C to quit)`;
    process.stdout.write(tty ? `\x1b[H\x1b[2J${head}\n\n${body}\n` : `${head}\n${body}\n\n`);
  };
  draw(await frame(opts));
  return new Promise((resolve) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      frame(opts)
        .then(draw, (error: unknown) => draw(error instanceof CliError ? `(${error.message})` : `(${(error as Error).message})`))
        .finally(() => (busy = false));
    }, EVERY_MS);
    const quit = () => {
      clearInterval(timer);
      if (tty) process.stdout.write('\n');
      resolve(EXIT.OK);
    };
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
  });
}
