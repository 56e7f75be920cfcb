// Node's module compile cache for Node workers (NODE_COMPILE_CACHE, Node >= 22.1): V8's code
// cache of every module a worker loads is kept on disk, so the next worker of the app skips
// most parsing and compiling, and a reload's floor (a new worker's boot) drops. One folder
// per app under the home, kept across generations; emptied when the app's script changes
// (another path, size or mtime), since Node only ever adds entries for new file contents.
import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppSpec } from '../config/types.js';

const STAMP = 'script.stamp';

// True when this Node (the one workers with interpreter "node" run) has NODE_COMPILE_CACHE.
export function nodeHasCompileCache(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

// What identifies the script's current contents, cheaply.
function stampOf(script: string): string | null {
  try {
    const st = statSync(script);
    return JSON.stringify([script, st.size, st.mtimeMs]);
  } catch {
    return null;
  }
}

// The env that gives this worker the app's compile cache under `root`, or {} when it does not
// apply: not a Node worker of ours, an older Node, the user set NODE_COMPILE_CACHE (or
// NODE_DISABLE_COMPILE_CACHE) already, the worker runs as another user (it could not write a
// folder of ours), or the folder cannot be made.
export function compileCacheEnv(root: string, spec: AppSpec, otherUser: boolean, base: NodeJS.ProcessEnv = process.env, version = process.versions.node): Record<string, string> {
  if (spec.interpreter !== 'node' || otherUser || !nodeHasCompileCache(version)) return {};
  for (const key of ['NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) if (spec.env[key] !== undefined || base[key] !== undefined) return {};
  const stamp = stampOf(spec.script);
  if (stamp === null) return {};
  const dir = path.join(root, spec.name);
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    if (lstatSync(root).isSymbolicLink()) return {};
    const old = readStamp(dir);
    if (old !== stamp) {
      if (old !== undefined) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(path.join(dir, STAMP), stamp, { mode: 0o600 });
    }
    if (!lstatSync(dir).isDirectory()) return {};
  } catch {
    return {};
  }
  return { NODE_COMPILE_CACHE: dir };
}

// The stamp the folder was made for; undefined when there is no folder (or it is not ours to read).
function readStamp(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, STAMP), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && !exists(dir) ? undefined : '';
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
