// Talking to a test master over its control socket, as the CLI does.
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import type { StatusReport } from '../../src/master/status.js';
import { waitFor } from './wait.js';

// The control socket of a master whose SUPERVISOR_HOME is `home`.
export const socketOf = (home: string): string => path.join(home, 'supervisor.sock');

// The master's status report.
export async function statusOf(home: string): Promise<StatusReport> {
  const res = await request(socketOf(home), 'status');
  if (!res.ok) throw new Error(res.message);
  return res.data as StatusReport;
}

// Waits until no app is reloading (every queued reload has run).
export async function waitSettled(home: string, timeoutMs = 20_000): Promise<StatusReport> {
  return waitFor('no reload in progress', async () => {
    const s = await statusOf(home);
    return s.apps.every((a) => a.status !== 'reloading' && a.workers.every((w) => w.state === 'ready')) ? s : null;
  }, timeoutMs, 50);
}
