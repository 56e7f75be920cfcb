// Every live worker's process group, recorded in the home (workers.pids) with what stopping
// it takes (its app's stop_signal, kill_timeout and kill_group, as at spawn), so a master
// starting after a crash stops the previous master's leftovers, whole groups, the way their
// apps ask. A record is kept until the worker's group is empty, not just until the worker
// exits. A pid is signalled only if the file is ours and the process's start time and uid
// match the record.
import { constants } from 'node:os';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { waitUntil } from './wait-until.js';
import { writeFileAtomic } from './atomic-write.js';
import { readOwnFile } from './home-trust.js';
import { bootId, groupMembers, isSupervisorMaster, processAlive, startTime, uidOf, type ProcInfo } from './proc.js';

// One worker's process group (the worker's pid is its group id: it runs in a session of its own).
export interface GroupRecord {
  readonly pid: number;
  readonly app: string;
  readonly slot: number;
  // The worker's start time (clock ticks since boot): guards against pid reuse.
  readonly start: number;
  readonly uid: number;
  readonly stop_signal: string;
  readonly kill_timeout: number;
  readonly kill_group: boolean;
  // True when the kernel sends the worker stop_signal when the master dies (setpriv).
  readonly pdeathsig: boolean;
}

// The file's shape: this boot's id and the groups.
interface PidsFile { readonly v: 2; readonly boot: string; readonly groups: readonly GroupRecord[] }

const MAX_FILE_BYTES = 4 * 1024 * 1024;
const POLL_MS = 100;
// How long a SIGKILLed group may take to go.
const KILL_GRACE_MS = 2_000;

// Writes the records (mode 0600, atomically).
export function writeGroupRecords(file: string, groups: Iterable<GroupRecord>): void {
  writeFileAtomic(file, JSON.stringify({ v: 2, boot: bootId(), groups: [...groups] } satisfies PidsFile));
}

const isSignal = (s: unknown): s is NodeJS.Signals => typeof s === 'string' && Object.hasOwn(constants.signals, s);
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

// A record as read back, with defaults for the fields a master of before groups did not write.
function checkedRecord(raw: unknown): GroupRecord | null {
  const r = raw as Partial<Record<keyof GroupRecord, unknown>> | null;
  if (typeof r !== 'object' || r === null || !isCount(r.pid) || r.pid <= 1 || !isCount(r.start)) return null;
  return {
    pid: r.pid,
    start: r.start,
    app: typeof r.app === 'string' ? r.app.slice(0, 200) : '?',
    slot: isCount(r.slot) ? r.slot : 0,
    uid: isCount(r.uid) ? r.uid : (process.geteuid?.() ?? 0),
    stop_signal: isSignal(r.stop_signal) ? r.stop_signal : 'SIGTERM',
    kill_timeout: isCount(r.kill_timeout) ? Math.min(r.kill_timeout, 2 ** 31 - 1) : 5_000,
    kill_group: r.kill_group === true,
    pdeathsig: r.pdeathsig === true,
  };
}

// The records of `file`: [] when it is missing or of another boot; throws UntrustedPathError
// when the file is not ours (then nothing in it is signalled).
export function readGroupRecords(file: string): GroupRecord[] {
  const text = readOwnFile(file, 'the worker pid file', MAX_FILE_BYTES);
  if (text === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  // A master of before process groups wrote a bare list, without the boot id.
  const list = Array.isArray(parsed) ? parsed : (parsed as Partial<PidsFile>)?.boot === bootId() ? (parsed as PidsFile).groups : [];
  return Array.isArray(list) ? list.map(checkedRecord).filter((r): r is GroupRecord => r !== null) : [];
}

const send = (pid: number, sig: NodeJS.Signals | string) => {
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
};

// Waits until `gone()` or `ms` passed; true when gone.
const waitGone = (gone: () => boolean, ms: number): Promise<boolean> => waitUntil(gone, ms, POLL_MS);

// What was found of one record and stopped.
export interface Reaped { readonly record: GroupRecord; readonly worker: boolean; readonly others: number }

// The processes of the record's group that can be its own: its uid, started after the worker.
function leftMembers(r: GroupRecord): ProcInfo[] {
  return groupMembers(r.pid).filter((p) => p.uid === r.uid && p.start >= r.start);
}

// Stops one recorded group as its app asks: the worker first (stop_signal unless the kernel
// sent it already, SIGKILL after kill_timeout), then what it left in its group.
async function reapGroup(r: GroupRecord): Promise<Reaped | null> {
  const workerLives = () => startTime(r.pid) === r.start && uidOf(r.pid) === r.uid;
  const worker = workerLives();
  // Another process has the pid now: the group was empty when the pid was freed; nothing is ours.
  if (!worker && startTime(r.pid) !== null) return null;
  if (worker) {
    if (!r.pdeathsig) send(r.kill_group ? -r.pid : r.pid, r.stop_signal);
    if (!(await waitGone(() => !workerLives(), r.kill_timeout)) && workerLives()) send(r.kill_group ? -r.pid : r.pid, 'SIGKILL');
    await waitGone(() => !workerLives(), KILL_GRACE_MS);
  }
  const others = leftMembers(r);
  if (!worker && others.length === 0) return null;
  if (others.length > 0) {
    for (const p of others) send(p.pid, r.stop_signal);
    if (!(await waitGone(() => leftMembers(r).length === 0, r.kill_timeout))) for (const p of leftMembers(r)) send(p.pid, 'SIGKILL');
    await waitGone(() => leftMembers(r).length === 0, KILL_GRACE_MS);
  }
  return { record: r, worker, others: others.length };
}

// The file a master that replaced another (`supervisor upgrade`) records its groups in, beside `file`.
export function upgradedRecordsFile(file: string, pid = process.pid): string {
  return file.replace(/\.pids$/, `.${pid}.pids`);
}

// The per-master record files beside `file` whose master is not running.
function deadMastersFiles(file: string): string[] {
  const dir = path.dirname(file);
  const pattern = new RegExp(`^${path.basename(file).replace(/\.pids$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.pids$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const pid = Number(pattern.exec(name)?.[1] ?? NaN);
    return Number.isInteger(pid) && !(processAlive(pid) && isSupervisorMaster(pid)) ? [path.join(dir, name)] : [];
  });
}

// Stops the leftovers dead masters recorded (workers.pids, and the files of upgraded masters),
// every group at once, each within its app's kill_timeout; returns what was found, for the log.
export async function reapLeftovers(file: string): Promise<Reaped[]> {
  const extra = deadMastersFiles(file);
  const records = [file, ...extra].flatMap((f) => readGroupRecords(f));
  const found = await Promise.all(records.map(reapGroup));
  for (const f of extra) rmSync(f, { force: true });
  return found.filter((r): r is Reaped => r !== null);
}
