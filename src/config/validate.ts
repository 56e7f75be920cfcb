// Schema and cross-app checks. Collects every issue instead of stopping at the first.
import { ecosystemSchema, type EcosystemInput } from './schema.js';
import { formatPath, type ConfigIssue } from './errors.js';
import type { Config } from './types.js';
import { listenKey } from './listen-address.js';

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

// Validates the raw parsed file against the schema; returns the typed input or null.
export function validateShape(raw: unknown, issues: ConfigIssue[]): EcosystemInput | null {
  const result = ecosystemSchema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const found = valueAt(raw, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
    } else {
      issues.push({ path: formatPath(issue.path), message: `${issue.message}, found ${describe(found)}` });
    }
  }
  return null;
}

// Checks that span apps: unique names, no two apps on one listen address.
export function validateSemantics(config: Config, issues: ConfigIssue[]): void {
  const names = new Map<string, number>();
  const listens = new Map<string, string>();
  config.apps.forEach((app, i) => {
    const first = names.get(app.name);
    if (first !== undefined) issues.push({ path: `apps[${i}].name`, message: `duplicate app name "${app.name}" (also apps[${first}].name)` });
    else names.set(app.name, i);
    app.listen.forEach((addr, j) => {
      const key = listenKey(addr);
      const owner = listens.get(key);
      if (owner !== undefined) issues.push({ path: `apps[${i}].listen[${j}]`, message: `address ${addr.text} is already used by ${owner}` });
      else listens.set(key, `apps[${i}] (${app.name})`);
    });
  });
}
