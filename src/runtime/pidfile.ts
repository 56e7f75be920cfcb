// The master's pidfile: written atomically (temp file, then rename), a stale one detected
// and replaced, and removed on exit only by the master whose pid it holds.
import { existsSync, linkSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { readOwnFile } from './home-trust.js';
import { isSupervisorMaster, processAlive } from './proc.js';

// Why an existing pidfile was replaced, for the master log; null when there was none.
export type PidfileTakeover = string | null;

// Thrown when a live master already holds the pidfile.
export class MasterRunningError extends Error {
  constructor(readonly pid: number, file: string) {
    super(`a master is already running (pid ${pid}, pidfile ${file})`);
    this.name = 'MasterRunningError';
  }
}

// The pid in a pidfile, or null when it is missing or not a pid. Read without following a
// link; a pidfile that is not ours throws (UntrustedPathError): its pid means nothing.
export function readPidfile(file: string): number | null {
  let text: string | null;
  try {
    text = readOwnFile(file, 'the pidfile', 64);
  } catch (error) {
    if ((error as Error).name === 'UntrustedPathError') throw error;
    return null;
  }
  if (text === null) return null;
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

// The pid of the live master that holds `file`, or null when the pidfile is absent or stale.
export function liveMasterPid(file: string): number | null {
  const pid = readPidfile(file);
  return pid !== null && pid !== process.pid && processAlive(pid) && isSupervisorMaster(pid) ? pid : null;
}

// Writes our pid to `file` atomically; throws MasterRunningError if a live master holds it.
// Returns why a previous pidfile was replaced, so the caller can log it. With no pidfile,
// link() creates it only if it still does not exist, so of two masters starting at once
// exactly one gets it; a stale one is replaced by rename().
export function acquirePidfile(file: string, pid = process.pid): PidfileTakeover {
  const tmp = `${file}.${pid}.tmp`;
  writeFileSync(tmp, `${pid}\n`, { mode: 0o644 });
  try {
    for (;;) {
      try {
        linkSync(tmp, file);
        return null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const old = readPidfile(file); // null for an empty or garbled file: nobody owns it
      if (old === null && !existsSync(file)) continue; // removed meanwhile: create it again
      if (old === pid) return null;
      const live = liveMasterPid(file);
      if (live !== null) throw new MasterRunningError(live, file);
      renameSync(tmp, file);
      return `replaced a stale pidfile ${file}: ${old === null ? 'it held no pid' : `pid ${old} ${processAlive(old) ? 'is alive but is not a supervisor master' : 'is not running'}`}`;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

// Writes our pid to `file` whoever holds it: a master that took over from a live one (upgrade).
export function replacePidfile(file: string, pid = process.pid): void {
  const tmp = `${file}.${pid}.tmp`;
  writeFileSync(tmp, `${pid}\n`, { mode: 0o644 });
  renameSync(tmp, file);
}

// Removes `file` only if it still holds `pid` (another master may have replaced it).
export function releasePidfile(file: string, pid = process.pid): void {
  if (readPidfile(file) !== pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
