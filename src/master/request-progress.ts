// Follows one request: the master's log lines caused by it (and by the requests it merged
// into), and nothing else. The control socket streams them as progress; `start` forwards
// those of the daemon's first start to its launcher.
import { formatNotice } from './log-lines.js';
import type { Master } from './master.js';

// Calls `emit` with each human log line of request `id`; returns the unsubscribe function.
export function followRequest(master: Master, id: number, emit: (line: string) => void): () => void {
  const ids = new Set([id]);
  return master.observe((n) => {
    if (n.type === 'worker-output' || n.type === 'worker-metrics' || !('request' in n) || n.request === undefined || !ids.has(n.request)) return;
    if ((n.type === 'load-merged' || n.type === 'reload-merged') && n.into !== undefined) ids.add(n.into);
    const line = formatNotice(n, false);
    if (line) emit(line.text);
  });
}
