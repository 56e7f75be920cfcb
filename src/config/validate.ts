// Schema and cross-app checks. Collects every issue instead of stopping at the first; each
// names the path (apps[1].instances), what was expected and what was found.
import type { z } from 'zod';
import { appSchema, ecosystemSchema, ENV_BLOCK_KEY, envMap, metricsSchema, type AppInput, type EcosystemInput } from './schema.js';
import { formatPath, type ConfigIssue } from './errors.js';
import { describeValue, pushIssue, valueAt, type Findings, type ZodIssue } from './issue-text.js';
import type { AppSpec } from './types.js';
import { listenKey } from './listen-address.js';
import { pm2AppKey, pm2RootKey } from './pm2-keys.js';
import { closestKey } from './suggest.js';
import { translatePm2 } from './pm2-translate.js';
import { appsWithNul } from './nul-check.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function unknownKey(at: readonly PropertyKey[], key: string, known: readonly string[], where: 'root' | 'app' | 'other', out: Findings): void {
  const path = formatPath([...at, key]);
  const pm2 = where === 'app' ? pm2AppKey(key) : where === 'root' ? pm2RootKey(key) : null;
  if (pm2) {
    (pm2.severity === 'error' ? out.errors : out.warnings).push({ path, message: `PM2 key "${key}" is not supported${pm2.severity === 'warning' ? ' and is ignored' : ''}: ${pm2.advice}` });
    return;
  }
  if (where === 'app' && /^env_/.test(key)) {
    out.errors.push({ path, message: `expected an env block name like "env_production" (letters, digits, ".", "_", "-"), found "${key}"` });
    return;
  }
  const guess = closestKey(key, known);
  out.errors.push({ path, message: `unknown key "${key}"${guess ? `; did you mean "${guess}"?` : `; expected one of: ${known.join(', ')}`}` });
}

// Readies each app for the strict schema: ignorable PM2 keys become warnings and are left out;
// env_<name> blocks are validated and left out, and the one named by `envName` is merged over
// `env`, as PM2's --env does.
function prepareApps(raw: Record<string, unknown>, envName: string | null, out: Findings): Record<string, unknown> {
  if (!Array.isArray(raw.apps)) return raw;
  const seen = new Set<string>();
  const apps = raw.apps.map((app: unknown, i) => {
    if (!isObject(app)) return app;
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(app)) {
      const pm2 = Object.hasOwn(appSchema.shape, key) ? null : pm2AppKey(key);
      if (pm2?.severity === 'warning') {
        out.warnings.push({ path: formatPath(['apps', i, key]), message: `PM2 key "${key}" is not supported and is ignored: ${pm2.advice}` });
        continue;
      }
      if (!ENV_BLOCK_KEY.test(key)) {
        rest[key] = value;
        continue;
      }
      seen.add(key.slice('env_'.length));
      const parsed = envMap.safeParse(value);
      if (!parsed.success) for (const issue of parsed.error.issues) pushIssue(out, ['apps', i, key, ...issue.path], issue, valueAt(value, issue.path));
    }
    const selected = envName === null ? undefined : app[`env_${envName}`];
    if (isObject(selected) && (app.env === undefined || isObject(app.env))) rest.env = { ...(app.env ?? {}), ...selected };
    return rest;
  });
  if (envName !== null && !seen.has(envName)) {
    const names = [...seen].map((n) => `env_${n}`);
    out.errors.push({ path: '', message: `--env ${envName}: expected an app with an "env_${envName}" block, found ${names.length ? names.join(', ') : 'no env_<name> block'}` });
  }
  return { ...raw, apps };
}

// Ignorable PM2 keys at the top level (deploy) become warnings and are left out.
function dropIgnoredRootKeys(raw: Record<string, unknown>, out: Findings): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (pm2RootKey(key)?.severity === 'warning') unknownKey([], key, ROOT_KEYS, 'root', out);
    else rest[key] = value;
  }
  return rest;
}

const APP_KEYS = Object.keys(appSchema.shape);
const ROOT_KEYS = Object.keys(ecosystemSchema.shape);
const METRICS_KEYS = Object.keys((metricsSchema.options[1] as z.ZodObject).shape);

function knownFor(path: readonly PropertyKey[]): { known: readonly string[]; where: 'root' | 'app' | 'other' } {
  if (path.length === 0) return { known: ROOT_KEYS, where: 'root' };
  if (path.length === 2 && path[0] === 'apps') return { known: APP_KEYS, where: 'app' };
  return { known: path[0] === 'metrics' ? METRICS_KEYS : [], where: 'other' };
}

// The result of the shape check: the whole typed file when it is valid, and in any case the
// apps that are valid on their own (with their index), so cross-app checks still run.
export interface ShapeResult {
  readonly input: EcosystemInput | null;
  readonly validApps: readonly { readonly index: number; readonly app: AppInput }[];
}

// Validates the raw parsed file against the schema, once read as PM2 reads it (pm2-translate.ts).
// Errors and warnings (ignored PM2 keys) go to `out`; the env_<envName> block of each app is
// merged over its env.
export function validateShape(file: unknown, out: Findings, envName: string | null = null): ShapeResult {
  const raw = translatePm2(file, envName, out);
  if (!isObject(raw)) {
    out.errors.push({ path: '', message: `expected an object with an "apps" list at the top level (or one app, or a list of apps), found ${describeValue(raw)}` });
    return { input: null, validApps: [] };
  }
  const cleaned = prepareApps(dropIgnoredRootKeys(raw, out), envName, out);
  const withNul = appsWithNul(cleaned.apps, out);
  const result = ecosystemSchema.safeParse(cleaned);
  if (result.success) {
    return { input: out.errors.length ? null : result.data, validApps: result.data.apps.flatMap((app, index) => (withNul.has(index) ? [] : [{ index, app }])) };
  }
  reportIssues(result.error.issues, [], cleaned, out);
  const apps = Array.isArray(cleaned.apps) ? (cleaned.apps as unknown[]) : [];
  const validApps = apps.flatMap((app, index) => {
    if (withNul.has(index)) return [];
    const one = appSchema.safeParse(app);
    return one.success ? [{ index, app: one.data }] : [];
  });
  return { input: null, validApps };
}

// A union branch whose type matched the value: its own issues say more than "expected one of".
function matchedBranch(branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] | null {
  const typeMiss = (i: ZodIssue) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union');
  return branches.find((b) => b.length > 0 && !b.some(typeMiss)) ?? null;
}

function reportIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[], root: unknown, out: Findings): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const { known, where } = knownFor(path);
      for (const key of issue.keys) unknownKey(path, key, known, where, out);
      continue;
    }
    const branch = issue.code === 'invalid_union' ? matchedBranch(issue.errors) : null;
    if (branch) reportIssues(branch, path, root, out);
    else pushIssue(out, path, issue, valueAt(root, path));
  }
}

// Checks that span apps: no two apps on one listen address (duplicate names are renamed by pm2-translate.ts). Each
// app comes with its index in the file, so the paths stay right when some apps were invalid.
export function validateSemantics(apps: readonly { readonly index: number; readonly spec: AppSpec }[], issues: ConfigIssue[]): void {
  const listens = new Map<string, string>();
  apps.forEach(({ index: i, spec: app }) => {
    app.listen.forEach((addr, j) => {
      const key = listenKey(addr);
      const owner = listens.get(key);
      if (owner !== undefined) issues.push({ path: `apps[${i}].listen${app.listen.length > 1 ? `[${j}]` : ''}`, message: `address ${addr.text} is already used by ${owner}; expected an address no other app listens on` });
      else listens.set(key, `apps[${i}] (${app.name})`);
    });
  });
}
