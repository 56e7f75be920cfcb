// Loads a JavaScript ecosystem file as Node would. It runs in the short-lived loader child
// (one file per process), so there is no module cache to bust and nothing stays behind.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';

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

async function importDefault(file: string): Promise<unknown> {
  const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return 'default' in ns ? ns.default : { ...ns };
}

function unwrap(value: unknown): unknown {
  if (!types.isModuleNamespaceObject(value)) return value;
  const ns = value as Record<string, unknown>;
  return 'default' in ns ? ns.default : { ...ns };
}

// The module's export (default export, or module.exports).
export async function loadModule(file: string): Promise<unknown> {
  const esm = file.endsWith('.mjs') || (file.endsWith('.js') && (await nearestPackageType(path.dirname(file))) === 'module');
  if (esm) return importDefault(file);
  try {
    // A .js file with ESM syntax loads through require(esm) as a namespace object.
    return unwrap(createRequire(file)(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return importDefault(file);
    throw error;
  }
}
