// Asking a running master for its status over the control socket, as `supervisor status` does.
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import type { StatusReport } from '../../src/master/status.js';

// The master's status report, read from <home>/supervisor.sock.
export async function masterStatus(home: string): Promise<StatusReport> {
  const res = await request(path.join(home, 'supervisor.sock'), 'status');
  if (!res.ok) throw new Error(`status failed: ${res.message ?? ''}`);
  return res.data as StatusReport;
}
