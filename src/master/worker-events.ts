// What happens when a worker reports in: an IPC message, its ready fd, a timer, its exit.
// Each goes through the worker's lifecycle machine; an exit is then judged (expected, done,
// crash), may abort a rollout, back off, or make the app fatal.
import { parseWorkerMessage } from '../protocol/ipc.js';
import { feedApp } from './app-driver.js';
import { targetSpec, type AppRuntime, type WorkerRecord } from './app-runtime.js';
import type { MasterCore } from './core.js';
import type { MasterEvent } from './master-events.js';
import { abortsOnFailure, pruneSpecs } from './rollouts.js';
import { crashVerdict, forgetWorker, stepWorker } from './worker-driver.js';

const specOf = (app: AppRuntime, w: WorkerRecord) => app.specs.get(w.generation) ?? targetSpec(app);

// What a failed worker printed last, and where the rest is: for the message of a failed start.
function evidenceOf(core: MasterCore, w: WorkerRecord): string {
  const lines = w.stderr.lines();
  const log = core.errorLogOf?.(w.app);
  const printed = lines.length ? `Its last lines on stderr:\n${lines.map((l) => `  | ${l}`).join('\n')}` : 'It printed nothing on stderr.';
  return log ? `${printed}\nIts stderr log: ${log}` : printed;
}

// The queue events that come from one worker.
export type WorkerEvent = Extract<MasterEvent, { type: 'worker-message' | 'worker-ready-fd' | 'worker-broken' | 'worker-exit' | 'worker-timer' }>;

// Handles one worker event; the caller reconciles afterwards.
export function onWorkerEvent(core: MasterCore, e: WorkerEvent): void {
  const w = core.workers.get(e.key);
  if (!w) return;
  const app = core.apps.get(w.app)!;
  if (e.type === 'worker-message') {
    const msg = parseWorkerMessage(e.raw);
    if (msg?.type === 'supervisor:hello') w.saidHello = true;
    if (msg?.type === 'supervisor:ready') stepWorker(core, w, { type: 'ready' });
    if (msg?.type === 'supervisor:metrics') core.notify({ type: 'worker-metrics', worker: core.ref(w), id: msg.id, metrics: msg.metrics, error: msg.error ?? null });
    return;
  }
  if (e.type === 'worker-ready-fd') {
    stepWorker(core, w, { type: 'ready' });
    return;
  }
  if (e.type === 'worker-broken') {
    // The handle kills the worker itself; its exit then goes through the crash policy.
    core.notify({ type: 'worker-broken', worker: core.ref(w), reason: e.reason });
    return;
  }
  if (e.type === 'worker-timer') {
    w.timers.delete(e.timer);
    const t = stepWorker(core, w, { type: 'timer', timer: e.timer });
    if (t.readyTimedOut && abortsOnFailure(app, w.generation)) {
      feedApp(core, app, { type: 'rollout-aborted', reason: `worker ${w.slot} (pid ${w.pid}) was not ready within ${targetSpec(app).listen_timeout} ms` });
    }
    if (t.to === 'exited') forgetWorker(core, app, w);
    return;
  }
  // worker-exit
  if (e.error !== undefined) core.notify({ type: 'worker-spawn-failed', worker: core.ref(w), error: e.error });
  w.exitedAt = core.effects.now();
  const aborting = abortsOnFailure(app, w.generation) && w.stopReason === null;
  const verdict = crashVerdict(core, app, w, aborting);
  const uptimeMs = w.exitedAt - w.startedAt;
  const t = stepWorker(core, w, { type: 'exit', code: e.code, signal: e.signal, verdict });
  core.notify({ type: 'worker-exit', worker: core.ref(w), code: e.code, signal: e.signal, outcome: t.outcome ?? 'expected', uptimeMs, stopReason: w.stopReason, ...(e.error === undefined ? {} : { error: e.error }) });
  if (t.outcome === 'crash') app.restarts.set(w.slot, (app.restarts.get(w.slot) ?? 0) + 1);
  if (t.outcome === 'crash' && verdict.kind === 'restart') {
    core.notify({ type: 'worker-restart-scheduled', worker: core.ref(w), delayMs: verdict.delayMs, reason: 'crash' });
  }
  if (aborting && t.outcome === 'crash') {
    const how = e.error !== undefined ? `could not be started (${e.error})` : `${t.from === 'starting' ? 'exited before it was ready' : 'crashed after it was ready'} (${e.signal ?? `code ${e.code}`})`;
    feedApp(core, app, { type: 'rollout-aborted', reason: `worker ${w.slot} (pid ${w.pid}) ${how}` });
  }
  if (t.to === 'fatal' && verdict.kind === 'fatal') {
    const last = e.error !== undefined
      ? `could not be started: ${e.error}`
      : w.stopReason === 'ready-timeout' ? `was not ready within ${specOf(app, w).listen_timeout} ms (listen_timeout)` : `exited with ${e.signal ? `signal ${e.signal}` : `code ${e.code}`} after ${uptimeMs} ms`;
    const which = (app.streaks.get(w.slot)?.count ?? 1) > 1 ? 'the last one' : 'it';
    feedApp(core, app, { type: 'fatal', reason: `worker ${w.slot} ${verdict.reason}; ${which} ${last}`, evidence: evidenceOf(core, w) });
  }
  if (t.to === 'exited') forgetWorker(core, app, w);
  pruneSpecs(app);
}
