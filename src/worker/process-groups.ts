// Each worker owns a process group: it is started in a session of its own (setsid), so its
// pid is its group id and everything it starts is in the group unless it leaves on purpose
// (a process group, not a cgroup: it needs no privilege, no systemd and no cgroup delegation,
// and it is what signals reach; docs/signals.md). Once the worker is gone, whatever it left
// in its group gets the app's stop_signal, and SIGKILL after kill_timeout (at once when the
// worker itself was SIGKILLed); so grandchildren never outlive a worker, and the pipes they
// hold never pile up in the master. Every group is recorded (workers.pids) until it is empty,
// and told to the keeper, which stops them if the master dies.
import type { AppSpec } from '../config/types.js';
import { groupMembers, startTime } from '../runtime/proc.js';
import { writeGroupRecords, type GroupRecord } from '../runtime/worker-pids.js';
import { findSetpriv } from './command.js';
import type { GroupKeeper } from './group-keeper.js';
import { waitUntil } from '../runtime/wait-until.js';

// What the spawner tells about each worker's group.
export interface WorkerGroups {
  started(pid: number, spec: AppSpec, slot: number, uid: number): void;
  // The worker is gone; `killed` when it died of SIGKILL.
  exited(pid: number, killed: boolean): void;
}

const POLL_MS = 200;
// How long a SIGKILLed group may take to go before the master stops waiting for it.
const KILL_GRACE_MS = 2_000;

// A leftover of a group that was signalled, for the log.
export type GroupLog = (message: string) => void;

// The live master's process groups.
export class ProcessGroups implements WorkerGroups {
  private readonly live = new Map<number, GroupRecord>();
  private readonly sweeps = new Set<Promise<void>>();
  private file: string | null = null;
  private keeper: GroupKeeper | null = null;

  constructor(private readonly log: GroupLog) {}

  // From now on, records go to `file` and to `keeper` (after the previous master's were reaped).
  attach(file: string, keeper: GroupKeeper): void {
    this.file = file;
    this.keeper = keeper;
    this.save();
    for (const r of this.live.values()) keeper.add(r);
  }

  // The groups alive now (the keeper replays them when it restarts).
  records(): Iterable<GroupRecord> {
    return this.live.values();
  }

  started(pid: number, spec: AppSpec, slot: number, uid: number): void {
    const start = startTime(pid);
    if (start === null) return; // already gone: its exit sweeps the group
    const record: GroupRecord = { pid, app: spec.name, slot, start, uid, stop_signal: spec.stop_signal, kill_timeout: spec.kill_timeout, kill_group: spec.kill_group, pdeathsig: findSetpriv() !== null };
    this.live.set(pid, record);
    this.keeper?.add(record);
    this.save();
  }

  exited(pid: number, killed: boolean): void {
    const record = this.live.get(pid);
    if (!record) return;
    if (groupMembers(pid).length === 0) return this.forget(record);
    const sweep = this.sweep(record, killed).finally(() => {
      this.sweeps.delete(sweep);
      this.forget(record);
    });
    this.sweeps.add(sweep);
  }

  // Waits for the groups being stopped (each within its kill_timeout), then lets the keeper go.
  async stop(): Promise<void> {
    while (this.sweeps.size > 0) await Promise.all(this.sweeps);
    this.keeper?.close();
  }

  private async sweep(r: GroupRecord, killed: boolean): Promise<void> {
    const left = groupMembers(r.pid).length;
    const signal = killed ? 'SIGKILL' : r.stop_signal;
    this.log(`${r.app}#${r.slot} pid ${r.pid} is gone but left ${left} process(es) in its group: sent ${signal} to the group`);
    signalGroup(r.pid, signal);
    if (await this.emptyWithin(r.pid, killed ? 0 : r.kill_timeout)) return;
    if (!killed) {
      this.log(`${r.app}#${r.slot} pid ${r.pid}: its group is still there ${r.kill_timeout} ms after ${r.stop_signal} (kill_timeout): sent SIGKILL to the group`);
      signalGroup(r.pid, 'SIGKILL');
    }
    await this.emptyWithin(r.pid, KILL_GRACE_MS);
  }

  private emptyWithin(pgid: number, ms: number): Promise<boolean> {
    return waitUntil(() => groupMembers(pgid).length === 0, ms, POLL_MS);
  }

  private forget(r: GroupRecord): void {
    if (!this.live.delete(r.pid)) return;
    this.keeper?.remove(r.pid);
    this.save();
  }

  private save(): void {
    if (this.file === null) return;
    try {
      writeGroupRecords(this.file, this.live.values());
    } catch (error) {
      this.log(`cannot write ${this.file}: ${(error as Error).message}; a master started after a crash of this one may not find every leftover`);
    }
  }
}

function signalGroup(pgid: number, signal: string): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}
