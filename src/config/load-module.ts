// Loads a JavaScript ecosystem file as Node would, but fresh each time: ESM is cached by URL
// (so a new query string re-evaluates it), CommonJS by filename (so the cache entry goes).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';

const requireHere = createRequire(import.meta.url);
let importSeq = 0;

async function nearestPackageType(dir: string): Promise<string | null> {
  for (let cur = dir; ; cur = path.dirname(cur)) {
    try {
      const pkg = JSON.parse(await readFile(path.join(cur, 'package.json'), 'utf8')) as { type?: unknown };
      return typeof pkg.type === 'string' ? pkg.type : null;
    } catch {
      // keep looking upwards
    }
    if (path.dirname(cur) === cur) return null;
  }
}

// ESM is cached by URL, so a fresh query string evaluates the current file again.
async function importFresh(file: string): Promise<unknown> {
  const ns = (await import(`${pathToFileURL(file).href}?reload=${Date.now()}-${++importSeq}`)) as Record<string, unknown>;
  return 'default' in ns ? ns.default : { ...ns };
}

// Drops the config file and the project files it requires (not node_modules) from require's
// cache, so an edit of either is seen on the next load.
function forgetCached(file: string): void {
  const dir = path.dirname(file) + path.sep;
  for (const key of Object.keys(requireHere.cache)) {
    if (key === file || (key.startsWith(dir) && !key.includes(`${path.sep}node_modules${path.sep}`))) delete requireHere.cache[key];
  }
}

// CommonJS is cached by filename, so drop the cache entries before requiring it again.
async function requireFresh(file: string): Promise<unknown> {
  forgetCached(file);
  let value: unknown;
  try {
    value = requireHere(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return importFresh(file);
    throw error;
  } finally {
    forgetCached(file);
  }
  // A .js file with ESM syntax was loaded by require(esm), which caches it by URL: import it fresh.
  if (types.isModuleNamespaceObject(value)) return importFresh(file);
  return value;
}

// The module's export (default export, or module.exports), evaluated from the current file.
export async function loadModuleFresh(file: string): Promise<unknown> {
  const esm = file.endsWith('.mjs') || (file.endsWith('.js') && (await nearestPackageType(path.dirname(file))) === 'module');
  return esm ? importFresh(file) : requireFresh(file);
}
