// The kernel takes names, values, arguments and paths as C strings: one with a NUL character
// cannot reach a worker (the spawn fails). Such a config is refused when it is read, naming
// the path, instead of failing every spawn of the app later.
import { formatPath } from './errors.js';
import type { Findings } from './issue-text.js';

const NUL_HINT = 'expected no NUL character (\\u0000): the kernel cannot pass one to a worker';

function visit(value: unknown, at: readonly PropertyKey[], out: Findings): boolean {
  if (typeof value === 'string') {
    if (!value.includes('\0')) return false;
    out.errors.push({ path: formatPath(at), message: NUL_HINT });
    return true;
  }
  if (typeof value !== 'object' || value === null) return false;
  let found = false;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\0')) {
      out.errors.push({ path: formatPath(at), message: `the key ${JSON.stringify(key)}: ${NUL_HINT}` });
      found = true;
    } else if (visit(inner, [...at, Array.isArray(value) ? Number(key) : key], out)) {
      found = true;
    }
  }
  return found;
}

// Reports every string (or key) with a NUL in the apps; returns the indexes of those apps.
export function appsWithNul(apps: unknown, out: Findings): Set<number> {
  const found = new Set<number>();
  if (!Array.isArray(apps)) return found;
  apps.forEach((app, i) => {
    if (visit(app, ['apps', i], out)) found.add(i);
  });
  return found;
}
