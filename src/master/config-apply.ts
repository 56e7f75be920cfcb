// Applies a loaded config: added apps start, removed apps stop, changed apps roll with their
// new spec, instance-only changes scale, unchanged apps roll only when asked (SIGHUP).
import { diffConfigs } from '../config/diff.js';
import type { AppSpec, Config } from '../config/types.js';
import type { OutcomeReport } from './app-runtime.js';
import { createApp, targetSpec } from './app-runtime.js';
import type { MasterCore } from './core.js';
import { beginRollout } from './rollouts.js';

// What to apply and how.
export interface ApplyOptions {
  readonly rollUnchanged: boolean;
  readonly app: string | null;
  readonly mode: 'rolling' | 'restart';
  readonly reason: string;
}

// Applies `config`; the promise settles when every start, reload and stop it began is done.
export function applyConfig(core: MasterCore, config: Config, opts: ApplyOptions): Promise<OutcomeReport> {
  const ours = [...core.apps.values()].filter((a) => a.configFile === config.file && a.status !== 'stopped' && !a.removeWhenStopped);
  const diff = diffConfigs(ours.map(targetSpec), config);
  const only = (name: string) => opts.app === null || opts.app === name;
  const outcomes: Promise<OutcomeReport>[] = [];
  const track = (register: (resolve: (r: OutcomeReport) => void) => void) => outcomes.push(new Promise(register));

  const clash = diff.added.find((a) => core.apps.has(a.name) && core.apps.get(a.name)!.configFile !== config.file && core.apps.get(a.name)!.status !== 'stopped');
  if (clash) return Promise.resolve({ ok: false, message: `app "${clash.name}" is already defined by ${core.apps.get(clash.name)!.configFile}` });

  for (const spec of diff.added.filter((a) => only(a.name))) {
    const app = createApp(spec.name, config.file);
    app.instances = spec.instances;
    core.apps.set(spec.name, app);
    track((resolve) => beginRollout(core, app, spec, 'rolling', opts.reason, [resolve]));
  }
  for (const name of diff.removed.filter(only)) {
    const app = core.apps.get(name)!;
    app.status = 'stopping';
    app.removeWhenStopped = true;
    track((resolve) => app.stopWaiters.push(resolve));
  }
  const roll = (spec: AppSpec) => {
    const app = core.apps.get(spec.name)!;
    if (spec.instances !== targetSpec(app).instances) app.instances = spec.instances;
    track((resolve) => beginRollout(core, app, spec, opts.mode, opts.reason, [resolve]));
  };
  for (const spec of diff.changed.filter((a) => only(a.name))) roll(spec);
  for (const spec of diff.scaled.filter((a) => only(a.name))) {
    const app = core.apps.get(spec.name)!;
    if (opts.rollUnchanged) {
      roll(spec);
      continue;
    }
    app.specs.set(app.generation, spec);
    const from = app.instances;
    app.instances = spec.instances;
    core.notify({ type: 'app-scaled', app: app.name, from, to: spec.instances });
  }
  if (opts.rollUnchanged) for (const spec of diff.unchanged.filter((a) => only(a.name))) roll(spec);

  return Promise.all(outcomes).then((reports) => ({
    ok: reports.every((r) => r.ok),
    message: reports.length ? reports.map((r) => r.message).join('\n') : 'nothing to do',
  }));
}

// A one-line summary of a config, for logs (`supervisor check` prints the same one).
export { summarizeConfig as summarize } from '../config/summary.js';
