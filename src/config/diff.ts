// diff(old, new) -> what a reload must touch, as Supervisor's diff_to_active does.
import { isDeepStrictEqual } from 'node:util';
import type { AppSpec, Config } from './types.js';

// The apps a config change adds, removes, changes, or only rescales.
export interface ConfigDiff {
  readonly added: readonly AppSpec[];
  readonly removed: readonly string[];
  readonly changed: readonly AppSpec[];
  readonly scaled: readonly AppSpec[];
  readonly unchanged: readonly AppSpec[];
}

function withoutScale(app: AppSpec): Omit<AppSpec, 'instances' | 'reload_surge'> {
  const { instances: _i, reload_surge: _s, ...rest } = app;
  return rest;
}

// Compares two configs app by app, by name.
export function diffConfigs(before: readonly AppSpec[], after: Config): ConfigDiff {
  const old = new Map(before.map((a) => [a.name, a]));
  const added: AppSpec[] = [];
  const changed: AppSpec[] = [];
  const scaled: AppSpec[] = [];
  const unchanged: AppSpec[] = [];
  for (const app of after.apps) {
    const prev = old.get(app.name);
    if (!prev) added.push(app);
    else if (isDeepStrictEqual(prev, app)) unchanged.push(app);
    else if (isDeepStrictEqual(withoutScale(prev), withoutScale(app))) scaled.push(app);
    else changed.push(app);
  }
  const names = new Set(after.apps.map((a) => a.name));
  const removed = before.map((a) => a.name).filter((n) => !names.has(n));
  return { added, removed, changed, scaled, unchanged };
}
