// The version printed by `supervisor --version`: the package's own, read once from package.json.
import { readFileSync } from 'node:fs';

// The version string, e.g. "0.1.0".
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
