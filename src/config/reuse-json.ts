// A reload of a JSON ecosystem file whose bytes did not change reuses the config the loader
// child validated last time, and skips that child's Node start-up (100-250 ms on a loaded
// machine). JSON only: a .js/.cjs/.mjs config may compute values (the time, the environment,
// files it reads), and a YAML file is left to the loader too. What the loaded config also
// depends on is checked each time: the file's real path, the trust check, the `--env` name,
// the CPU count (`instances: "max"`), and each app's script and cwd (their type, size, mtime, mode: normalize reads them to pick
// an interpreter, and check-files refuses missing ones). Any difference, or any doubt, and
// the file is loaded again as before.
import { open, realpath, stat } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadResult } from './load-isolated.js';
import { untrustedReason } from './trust.js';
import type { Config } from './types.js';

// The loader this wraps (same shape as the master's ConfigLoader).
export type Loader = (file: string, opts: { readonly env: string | null; readonly signal: AbortSignal }) => Promise<LoadResult>;

// How long the master may spend on its own checks before it loads the file the usual way.
export const REUSE_CHECK_DEADLINE_MS = 2_000;
// Larger files are not read by the master (the loader refuses over 1 MB anyway).
const MAX_BYTES = 1024 * 1024;
// How many files (with their --env names) are remembered.
const MAX_ENTRIES = 32;
// A script or cwd changed this close to a load may have changed while the child read it.
const SETTLE_MS = 2_000;

interface Entry {
  readonly bytes: Buffer;
  readonly real: string;
  readonly config: Config;
  readonly deps: readonly (readonly [string, string])[];
}

// A folder's contents do not matter (a cwd gets log files); a file's do.
const stamp = (st: Stats | null) =>
  st === null ? 'none' : st.isDirectory() ? `d:${st.dev}:${st.ino}:${st.mode}` : `${st.isFile() ? 'f' : 'o'}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}`;
const statOrNull = (p: string) => stat(p).catch(() => null);

async function depsOf(config: Config, since: number): Promise<[string, string][] | null> {
  const paths = [...new Set(config.apps.flatMap((a) => [a.cwd, ...(a.script.includes('/') ? [a.script] : [])]))];
  const out: [string, string][] = [];
  for (const p of paths) {
    const st = await statOrNull(p);
    if (st && !st.isDirectory() && st.mtimeMs >= since - SETTLE_MS) return null;
    out.push([p, stamp(st)]);
  }
  return out;
}

async function sameDeps(deps: Entry['deps']): Promise<boolean> {
  for (const [p, s] of deps) if (stamp(await statOrNull(p)) !== s) return false;
  return true;
}

// The file's bytes and real path, read without following it into a FIFO or a device; null
// when it is not a small regular file (the loader then says what is wrong).
async function readSource(file: string): Promise<{ bytes: Buffer; real: string } | null> {
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > MAX_BYTES) return null;
    const bytes = Buffer.alloc(st.size);
    const { bytesRead } = await fh.read(bytes, 0, st.size, 0);
    return bytesRead === st.size ? { bytes, real: await realpath(file) } : null;
  } finally {
    await fh.close();
  }
}

// Wraps `load` so that an unchanged JSON file is not loaded again; `insecure` as the loader's.
export function reuseUnchangedJson(load: Loader, insecure: boolean): Loader {
  const entries = new Map<string, Entry>();
  return async (file, opts) => {
    if (path.extname(file).toLowerCase() !== '.json') return load(file, opts);
    // `instances: "max"` is the CPU count: a changed affinity is another config.
    const key = `${path.resolve(file)}\0${opts.env ?? ''}\0${os.availableParallelism()}`;
    const since = Date.now();
    const check = async () => {
      const source = await readSource(file);
      const old = entries.get(key);
      const hit = source !== null && old !== undefined && old.real === source.real && old.bytes.equals(source.bytes) && (insecure || untrustedReason(file) === null) && (await sameDeps(old.deps));
      return { source, hit: hit ? old : null };
    };
    const checked = await Promise.race([check().catch(() => null), sleep(REUSE_CHECK_DEADLINE_MS, null, { ref: false })]);
    if (checked?.hit) return { ok: true, config: checked.hit.config };
    entries.delete(key);
    const result = await load(file, opts);
    if (result.ok && checked?.source) {
      const deps = await Promise.race([depsOf(result.config, since).catch(() => null), sleep(REUSE_CHECK_DEADLINE_MS, null, { ref: false })]);
      if (deps) {
        entries.set(key, { ...checked.source, config: result.config, deps });
        if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      }
    }
    return result;
  };
}
