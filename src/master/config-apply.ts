// Applies a loaded config for the requests that asked for it: added apps start, removed apps
// stop, changed apps roll, instance-only changes scale, unchanged apps roll only when a
// reload asked (SIGHUP). Each app gets one event; each request hears once every app in its
// scope has settled.
import { diffConfigs } from '../config/diff.js';
import type { AppSpec, Config } from '../config/types.js';
import type { AppEvent } from './app-machine.js';
import { feedApp } from './app-driver.js';
import { createApp, targetSpec, type AppRuntime } from './app-runtime.js';
import type { LoadRequest } from './config-files.js';
import type { MasterCore } from './core.js';
import { failed, fanIn, type Waiter } from './outcome.js';

const inScope = (r: LoadRequest, name: string) => r.app === null || r.app === name;

// Why `config` cannot be applied beside the other files, or null: an app of another file
// that has not stopped already has one of its names.
export function clashOf(core: MasterCore, config: Config): string | null {
  for (const spec of config.apps) {
    const other = core.apps.get(spec.name);
    if (other && other.configFile !== config.file && other.state !== 'stopped') return `app "${spec.name}" is already defined by ${other.configFile}`;
  }
  return null;
}

type Step = { name: string; waiting: LoadRequest[]; event: (waiters: Waiter[]) => AppEvent; app: () => AppRuntime | null };

// Applies `config` (its file passed every check) for `requests`.
export function applyConfig(core: MasterCore, config: Config, requests: readonly LoadRequest[]): void {
  const ours = [...core.apps.values()].filter((a) => a.configFile === config.file && !a.removeWhenStopped && a.specs.has(a.generation));
  const diff = diffConfigs(ours.map(targetSpec), config);
  const scoped = (name: string) => requests.filter((r) => inScope(r, name));
  const first = (rs: LoadRequest[]) => rs[0]?.id ?? null;
  const reason = (rs: LoadRequest[]) => rs[0]?.reason ?? 'reload';
  const mode = (rs: LoadRequest[]) => (rs.some((r) => r.mode === 'restart') ? 'restart' : 'rolling');
  const steps: Step[] = [];
  const quiet: string[] = [];
  const roll = (spec: AppSpec, rs: LoadRequest[], app: () => AppRuntime | null): Step => ({
    name: spec.name, waiting: rs, app, event: (waiters) => ({ type: 'applied', change: 'roll', spec, mode: mode(rs), reason: reason(rs), request: first(rs), waiters }),
  });

  for (const spec of diff.added) {
    const rs = scoped(spec.name);
    if (rs.length === 0) continue;
    // An app of this file still stopping after its removal cannot be created again yet (app: null).
    steps.push(roll(spec, rs, () => {
      if (core.apps.get(spec.name)?.removeWhenStopped) return null;
      const app = createApp(spec.name, config.file);
      core.apps.set(spec.name, app);
      return app;
    }));
  }
  const byName = (name: string) => () => core.apps.get(name) ?? null;
  for (const name of diff.removed) {
    const rs = requests.filter((r) => r.app === null);
    if (rs.length) steps.push({ name, waiting: rs, app: byName(name), event: (waiters) => ({ type: 'stop', remove: true, request: first(rs), waiters }) });
  }
  for (const spec of diff.changed) {
    const rs = scoped(spec.name);
    if (rs.length) steps.push(roll(spec, rs, byName(spec.name)));
  }
  for (const spec of [...diff.scaled, ...diff.unchanged]) {
    const rs = scoped(spec.name);
    if (rs.length === 0) continue;
    if (rs.some((r) => r.rollUnchanged)) steps.push(roll(spec, rs, byName(spec.name)));
    else if (diff.scaled.includes(spec)) steps.push({ name: spec.name, waiting: rs, app: byName(spec.name), event: (waiters) => ({ type: 'applied', change: 'scale', spec, request: first(rs), waiters }) });
    else quiet.push(spec.name);
  }

  // Each request hears once, when every step in its scope has settled.
  const partials = new Map(requests.map((r) => [r, fanIn(steps.filter((s) => s.waiting.includes(r)).length, r.reply)]));
  for (const step of steps) {
    const waiters = step.waiting.map((r) => partials.get(r)!.pop()!);
    const app = step.app();
    if (app === null) {
      for (const w of waiters) w(failed('E_BUSY', `app ${step.name} is still stopping after its removal; reload again once it stopped`));
      continue;
    }
    feedApp(core, app, step.event(waiters));
  }
  for (const name of quiet) {
    const app = core.apps.get(name);
    if (app && !app.removeWhenStopped) feedApp(core, app, { type: 'applied', change: 'none' });
  }
}
