// Drives worker incarnations: spawns them, feeds events through the lifecycle machine,
// and carries out the effects the machine returns. The only writer of worker state.
import type { AppSpec } from '../config/types.js';
import { IPC_VERSION } from '../protocol/ipc.js';
import { onCrash, STABLE } from '../worker/backoff.js';
import { initialEffects, transition, type LifecycleEffect, type LifecycleEvent, type LifecycleSettings, type Transition } from '../worker/lifecycle.js';
import type { RestartVerdict, StopReason } from '../worker/states.js';
import type { AppRuntime, WorkerRecord } from './app-runtime.js';
import { targetSpec } from './app-runtime.js';
import { crashLimitOf } from './app-machine.js';
import { StderrTail } from './stderr-tail.js';
import { KEEPS_WORKERS_UP } from './app-states.js';
import type { MasterCore } from './core.js';

// The lifecycle settings of one app spec.
export function settingsOf(spec: AppSpec): LifecycleSettings {
  return {
    waitReady: spec.wait_ready,
    listenTimeoutMs: spec.listen_timeout,
    minUptimeMs: spec.min_uptime,
    killTimeoutMs: spec.kill_timeout,
    stopExitCodes: spec.stop_exit_codes,
    autorestart: spec.autorestart,
  };
}

function specOf(core: MasterCore, w: WorkerRecord): AppSpec {
  return core.apps.get(w.app)!.specs.get(w.generation)!;
}

// Starts a new worker of the app's target generation in `slot`.
export function spawnWorker(core: MasterCore, app: AppRuntime, slot: number): WorkerRecord {
  const spec = targetSpec(app);
  const w: WorkerRecord = {
    key: `${app.name}#${slot}@${app.generation}.${++core.seq}`,
    app: app.name,
    slot,
    generation: app.generation,
    state: 'starting',
    stopReason: null,
    replacing: null,
    pid: null,
    startedAt: core.effects.now(),
    readyAt: null,
    exitedAt: null,
    handle: null,
    timers: new Map(),
    saidHello: false,
    stderr: new StderrTail(),
  };
  app.workers.push(w);
  core.workers.set(w.key, w);
  const key = w.key;
  try {
    w.handle = core.effects.spawn(
      { spec, slot, generation: app.generation },
      {
        message: (raw) => core.enqueue({ type: 'worker-message', key, raw }),
        readyFd: () => core.enqueue({ type: 'worker-ready-fd', key }),
        exit: (code, signal, error) => core.enqueue({ type: 'worker-exit', key, code, signal, ...(error === undefined ? {} : { error }) }),
        output: (stream, line, meta) => {
          if (stream === 'stderr') w.stderr.push(line);
          if (meta?.first) core.notify({ type: 'worker-line-truncated', worker: core.ref(w), stream, maxBytes: spec.max_line_length });
          core.notify(meta?.truncated ? { type: 'worker-output', worker: core.ref(w), stream, line, truncated: true, flow: meta.flow } : { type: 'worker-output', worker: core.ref(w), stream, line, flow: meta?.flow });
        },
        broken: (reason) => core.enqueue({ type: 'worker-broken', key, reason }),
        listen: (r) => core.notify({ type: 'worker-listen', worker: core.ref(w), address: r.address, outcome: r.outcome, port: r.port, ...(r.error === undefined ? {} : { error: r.error }) }),
      },
    );
    w.pid = w.handle.pid;
  } catch (error) {
    core.enqueue({ type: 'worker-exit', key, code: null, signal: null, error: (error as Error).message });
    return w;
  }
  // A worker that got no pid never started: its exit, with the reason, is on its way.
  if (w.pid === null) return w;
  core.notify({ type: 'worker-spawned', worker: core.ref(w) });
  for (const effect of initialEffects(settingsOf(spec))) applyEffect(core, w, effect);
  return w;
}

// Feeds one event to a worker's machine; returns the transition for the caller to act on.
export function stepWorker(core: MasterCore, w: WorkerRecord, event: LifecycleEvent): Transition {
  const spec = specOf(core, w);
  const t = transition(w, event, settingsOf(spec));
  w.state = t.to;
  w.stopReason = t.stopReason;
  if (t.from === 'starting' && t.to === 'ready') w.readyAt = core.effects.now();
  for (const effect of t.effects) applyEffect(core, w, effect);
  if (t.from !== t.to) core.notify({ type: 'worker-state', worker: core.ref(w), from: t.from, to: t.to, reason: t.stopReason });
  if (t.killedAfterTimeout) core.notify({ type: 'worker-killed', worker: core.ref(w), afterMs: spec.kill_timeout });
  if (t.readyTimedOut) core.notify({ type: 'worker-ready-timeout', worker: core.ref(w), afterMs: spec.listen_timeout });
  const app = core.apps.get(w.app)!;
  if (t.stable && crashLimitOf(app.state) === 'max_restarts') app.streaks.set(w.slot, STABLE);
  return t;
}

// Asks a worker to finish and exit (or cancels its backoff).
export function finishWorker(core: MasterCore, w: WorkerRecord, reason: StopReason): void {
  stepWorker(core, w, { type: 'finish', reason });
}

// Kills a worker at once with SIGKILL.
export function killWorker(core: MasterCore, w: WorkerRecord, reason: StopReason): void {
  stepWorker(core, w, { type: 'kill', reason });
}

// What to do if this exit is a crash; also updates the slot's crash streak.
export function crashVerdict(core: MasterCore, app: AppRuntime, w: WorkerRecord, duringRollout: boolean): RestartVerdict {
  if ((w.stopReason !== null && w.stopReason !== 'ready-timeout') || w.generation !== app.generation || duringRollout || !KEEPS_WORKERS_UP.has(app.state)) {
    return { kind: 'none' };
  }
  const spec = specOf(core, w);
  const limitKey = crashLimitOf(app.state);
  const { verdict, streak } = onCrash(app.streaks.get(w.slot) ?? STABLE, {
    autorestart: spec.autorestart,
    limit: limitKey === 'start_retries' ? spec.start_retries : spec.max_restarts,
    limitKey,
    restartDelayMs: spec.restart_delay,
    firstDelayMs: spec.exp_backoff_restart_delay,
  });
  app.streaks.set(w.slot, streak);
  return verdict;
}

// Removes records of workers that are gone for good.
export function forgetWorker(core: MasterCore, app: AppRuntime, w: WorkerRecord): void {
  for (const cancel of w.timers.values()) cancel();
  w.timers.clear();
  core.workers.delete(w.key);
  const i = app.workers.indexOf(w);
  if (i >= 0) app.workers.splice(i, 1);
}

function applyEffect(core: MasterCore, w: WorkerRecord, effect: LifecycleEffect): void {
  switch (effect.type) {
    case 'arm': {
      w.timers.get(effect.timer)?.();
      const key = w.key;
      const timer = effect.timer;
      w.timers.set(timer, core.effects.setTimer(effect.ms, () => core.enqueue({ type: 'worker-timer', key, timer })));
      return;
    }
    case 'disarm':
      w.timers.get(effect.timer)?.();
      w.timers.delete(effect.timer);
      return;
    case 'send-finish': {
      const spec = specOf(core, w);
      if (!w.handle) return;
      if (spec.ipc && w.saidHello) {
        w.handle.send({ type: 'supervisor:shutdown', v: IPC_VERSION });
      } else {
        if (spec.ipc) w.handle.send('shutdown');
        w.handle.signal(spec.stop_signal);
      }
      return;
    }
    case 'sigkill':
      w.handle?.signal('SIGKILL');
      return;
  }
}
