// `run --exit-when-idle`: once no app runs any more because apps went fatal, the master has
// nothing left to do, so it stops and exits non-zero and the orchestrator restarts the pod.
import type { Master } from './master.js';
import type { StatusReport } from './status.js';

const RUNNING = new Set(['running', 'reloading']);

// True when some app still runs (or is starting or reloading).
export function someAppRuns(report: StatusReport): boolean {
  return report.apps.some((a) => RUNNING.has(a.status));
}

// True when nothing runs any more and at least one app is fatal: the pod is useless as it is.
export function idleBecauseFatal(report: StatusReport): boolean {
  return !someAppRuns(report) && report.apps.some((a) => a.status === 'fatal');
}

// Calls `onIdle` once, the first time an app goes fatal (or stops) and nothing runs any more.
// A shutdown that was asked for is not idleness: after `master-stopping` it stays silent.
export function watchForIdle(master: Master, onIdle: (why: string) => void): () => void {
  let done = false;
  return master.observe((n) => {
    if (n.type === 'master-stopping') done = true;
    if (done || (n.type !== 'app-fatal' && n.type !== 'app-stopped')) return;
    void master.status().then((report) => {
      if (done || !idleBecauseFatal(report)) return;
      done = true;
      onIdle(`every app is fatal (${report.apps.map((a) => `${a.name}: ${a.status}`).join(', ')})`);
    });
  });
}
