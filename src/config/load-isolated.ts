// Loads a config file out of process: a short-lived child (loader-main.js), started in the
// file's own folder in its own process group, evaluates it and answers on fd 3. The caller
// (the master, `check`, `run`, `startup`) never runs user config code and never waits on it
// past the deadline: then the whole group is killed. The answer's size is capped.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.js';
import { deepFreeze } from './freeze.js';
import { parseLoaderAnswer } from './loader-answer.js';
import type { Config } from './types.js';

// How long a config file may take to load, user code included.
export const CONFIG_DEADLINE_MS = 10_000;
// The largest answer accepted from the child (a JSON config is at most 1 MB of source).
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

const ENTRY = fileURLToPath(new URL('./loader-main.js', import.meta.url));

// How to load: the env_<name> block, whether others may write the file, the deadline.
export interface IsolatedLoadOptions {
  readonly env?: string | null;
  readonly insecure?: boolean;
  readonly deadlineMs?: number;
  // Aborting kills the child at once (the master is shutting down).
  readonly signal?: AbortSignal;
}

// The loaded config, or why it could not be loaded (every issue, with paths).
export type LoadResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly error: ConfigError };

// The environment of the child: ours, minus what belongs to this process alone.
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('SUPERVISOR_INTERNAL_') || key.startsWith('NODE_CHANNEL_')) delete env[key];
  return env;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

// Loads `file` in a child; never rejects.
export function loadConfigIsolated(file: string, opts: IsolatedLoadOptions = {}): Promise<LoadResult> {
  const absolute = path.resolve(file);
  const deadlineMs = opts.deadlineMs ?? CONFIG_DEADLINE_MS;
  return new Promise((resolve) => {
    let settled = false;
    let child: ChildProcess | null = null;
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (result: LoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child) killGroup(child);
      resolve(result);
    };
    const fail = (message: string) => finish({ ok: false, error: new ConfigError(absolute, [{ path: '', message }]) });
    const onAbort = () => fail('the load was cancelled: the master is shutting down');
    const timer = setTimeout(() => fail(`the config did not finish loading within ${deadlineMs} ms (the deadline): a promise it exports never settled, or it waits on something that does not come`), deadlineMs);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    try {
      child = spawn(process.execPath, [ENTRY, absolute, opts.env ?? '', opts.insecure ? 'insecure' : ''], {
        cwd: path.dirname(absolute),
        detached: true,
        env: childEnv(),
        stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      });
    } catch (error) {
      return fail(`cannot start the config loader: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
    }
    const started = child;
    started.on('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'ENOENT' ? `file not found (its folder ${path.dirname(absolute)} does not exist or cannot be entered)` : `cannot start the config loader: ${error.code ?? 'unknown error'}`);
    });
    if (started.pid === undefined) return; // not started (EMFILE, ...): the 'error' above says why, on the next tick
    // Processes the config started may hold the answer pipe open: end them with the child.
    started.on('exit', () => killGroup(started));
    const answer = started.stdio[3] as Readable;
    answer.on('error', () => undefined);
    answer.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_ANSWER_BYTES) fail(`the evaluated config is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`);
      else chunks.push(chunk);
    });
    started.on('close', (code, signal) => {
      if (settled) return;
      if (bytes === 0) return fail(`the config loader exited (${signal ?? `code ${code}`}) before answering: does the config call process.exit()?`);
      const parsed = parseLoaderAnswer(Buffer.concat(chunks).toString('utf8'), absolute);
      if (typeof parsed === 'string') return fail(parsed);
      finish(parsed.ok ? { ok: true, config: deepFreeze(parsed.config) } : { ok: false, error: new ConfigError(absolute, parsed.issues, parsed.warnings) });
    });
  });
}
