// Signal handlers that only enqueue. HUP reloads, TERM/INT stop gracefully (a second INT,
// or QUIT, stops at once), USR1 reopens log files, USR2 upgrades the master (as `supervisor upgrade`).
import type { Master } from './master.js';

// Hooks for signals whose work lives outside the master (log files).
export interface SignalHooks { reopenLogs?: () => void; upgrade?: () => void }

// Installs the handlers; returns a function that removes them.
export function installSignalHandlers(master: Master, hooks: SignalHooks = {}): () => void {
  let hupQueued = false;
  let stopping = false;
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGHUP', () => {
      if (hupQueued) return; // a burst of HUPs while one waits in the queue is one reload
      hupQueued = true;
      setImmediate(() => {
        hupQueued = false;
      });
      void master.reload({ reason: 'SIGHUP' });
    }],
    ['SIGTERM', () => {
      master.shutdown('SIGTERM');
      stopping = true;
    }],
    ['SIGINT', () => {
      master.shutdown('SIGINT', stopping);
      stopping = true;
    }],
    ['SIGQUIT', () => master.shutdown('SIGQUIT', true)],
    ['SIGUSR1', () => hooks.reopenLogs?.()],
    ['SIGUSR2', () => hooks.upgrade?.()],
  ];
  for (const [sig, fn] of handlers) process.on(sig, fn);
  return () => {
    for (const [sig, fn] of handlers) process.off(sig, fn);
  };
}
