// Cleaning up after daemon tests: a daemon left running by a failed test is stopped at once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { alive } from './procs.js';
import { waitFor } from './wait.js';

// The pid in a home's pidfile, or null.
export function pidfilePid(home: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(home, 'supervisor.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

// Stops the home's daemon with SIGQUIT (workers killed at once) if it still runs.
export async function killDaemon(home: string): Promise<void> {
  const pid = pidfilePid(home);
  if (pid === null || !alive(pid)) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  await waitFor(`daemon ${pid} to exit`, () => !alive(pid), 10_000);
}
