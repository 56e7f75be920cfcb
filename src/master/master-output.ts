// Where the master's own log lines go, for `supervisor logs`: the daemon writes them to its
// log file; `supervisor run` prints them to its terminal, so it also keeps the last ones it
// printed in memory (a bounded ring) and hands them out with the `logs` verb.
import type { ControlHandler } from './control-server.js';

// How many of `run`'s own lines are kept, and how much of each.
export const RECENT_LINES = 200;
const LINE_CHARS = 4096;

// What the `logs` verb says about the master's own lines.
export type MasterOutput =
  | { readonly file: string }
  | { readonly terminal: true; readonly pid: number; readonly recent: readonly string[] };

// The last lines a foreground master printed.
export class RecentLines {
  private readonly lines: string[] = [];

  // Records one printed line (a multi-line message counts as one).
  push(text: string): void {
    this.lines.push(text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS)}...` : text);
    if (this.lines.length > RECENT_LINES) this.lines.shift();
  }

  // The kept lines, oldest first.
  all(): string[] {
    return [...this.lines];
  }
}

// Wraps the `logs` handler so that its answer also says where the master's own lines are.
export function withMasterOutput(logs: ControlHandler, where: () => MasterOutput): ControlHandler {
  return async (req, progress) => {
    const res = await logs(req, progress);
    if (!res.ok || typeof res.data !== 'object' || res.data === null) return res;
    return { ...res, data: { ...res.data, master: where() } };
  };
}
