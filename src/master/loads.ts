// Loading config files from the loop: a request joins the file's next load; the next load
// starts one loop turn later with every request merged by then (one read per turn, as
// Gunicorn drains its signal queue); the read runs in the loader child and the bind in the
// listener registry, both outside the loop, and each comes back as an event. Only a load
// that was applied registers the file.
import type { LoadResult } from '../config/load-isolated.js';
import type { Config } from '../config/types.js';
import { feedApp } from './app-driver.js';
import { applyConfig, clashOf } from './config-apply.js';
import { dropIfUnused, type ConfigFile, type LoadRequest } from './config-files.js';
import type { MasterCore } from './core.js';
import { summarizeConfig } from '../config/summary.js';
import { failed, type Waiter } from './outcome.js';
import type { ErrorCode } from '../protocol/codes.js';

// Reads a config file (in a child); never rejects.
export type ConfigLoader = (file: string, opts: { readonly env: string | null; readonly signal: AbortSignal }) => Promise<LoadResult>;

// Binds what the apps of a config need (all, or the named ones) before any worker spawns, and
// lets go of a forgotten file's sockets. `prepare` rejects with a one-line reason.
export interface Binder {
  prepare(config: Config, apps: ReadonlySet<string> | null): Promise<void>;
  release(file: string): void;
}

// What loads need besides the core.
export interface LoadContext {
  readonly loader: ConfigLoader;
  readonly binder: Binder | null;
  readonly abort: AbortSignal;
}

// Adds `req` to the next load of `f`, starting it one turn later if none is under way.
export function requestLoad(core: MasterCore, f: ConfigFile, req: LoadRequest): void {
  const lead = f.next[0];
  f.next.push(req);
  if (lead) core.notify({ type: 'load-merged', file: f.file, request: req.id, into: lead.id });
  kickLater(core, f);
}

function kickLater(core: MasterCore, f: ConfigFile): void {
  if (f.phase !== 'idle' || f.kickQueued || f.next.length === 0) return;
  if (rolloutInScope(core, f)) {
    f.waited = true;
    return;
  }
  f.kickQueued = true;
  core.enqueue({ type: 'load-kick', file: f.file });
}

// Starts, in this turn, the loads that waited for a rollout to end (called after every loop
// turn): their requests merged long ago, and a status asked for now must see the read.
export function kickWaitingLoads(core: MasterCore, ctx: LoadContext): void {
  for (const f of [...core.files.values()]) {
    if (f.phase === 'idle' && !f.kickQueued && f.next.length > 0 && f.waited && !rolloutInScope(core, f)) kick(core, ctx, f);
    else kickLater(core, f);
  }
}

const appsInScope = (core: MasterCore, f: ConfigFile, requests: readonly LoadRequest[]) =>
  [...core.apps.values()].filter((a) => a.configFile === f.file && !a.removeWhenStopped && requests.some((r) => r.app === null || r.app === a.name));

// True while an app the next load would touch is starting or rolling: the load waits for it,
// so every reload asked for during a rollout merges into one read and one follow-up rollout
// (reading at once would let a slow read finish after that follow-up began, and roll again).
function rolloutInScope(core: MasterCore, f: ConfigFile): boolean {
  return appsInScope(core, f, f.next).some((a) => a.state === 'rolling' || a.state === 'starting');
}

// Starts the load of everything merged so far.
export function kick(core: MasterCore, ctx: LoadContext, f: ConfigFile): void {
  f.kickQueued = false;
  if (f.phase !== 'idle' || f.next.length === 0) return;
  if (rolloutInScope(core, f)) {
    f.waited = true;
    return;
  }
  f.waited = false;
  f.current = f.next.splice(0);
  f.phase = 'reading';
  const token = ++f.token;
  for (const app of appsInScope(core, f, f.current)) feedApp(core, app, { type: 'load-requested' });
  const preloaded = f.preloaded;
  f.preloaded = null;
  const read: Promise<LoadResult> = preloaded ? Promise.resolve({ ok: true, config: preloaded }) : ctx.loader(f.file, { env: f.env, signal: ctx.abort });
  core.track(read, (result) => ({ type: 'load-read', file: f.file, token, result }));
}

// Ends the load under way; an app still marked as loading (its request was refused on its
// own) has nothing to apply.
function finish(core: MasterCore, f: ConfigFile): void {
  for (const app of core.apps.values()) if (app.configFile === f.file && app.state === 'loading') feedApp(core, app, { type: 'applied', change: 'none' });
  f.phase = 'idle';
  f.current = [];
  f.binding = null;
  dropIfUnused(core, f);
  kickLater(core, f);
}

// Fails the load under way: every request hears why; nothing changed.
function failLoad(core: MasterCore, f: ConfigFile, code: ErrorCode, message: string, event: 'load-failed' | 'apply-failed'): void {
  const registered = f.applied !== null;
  if (registered) f.lastError = { message, code, at: core.effects.now() };
  core.notify({ type: 'config-failed', file: f.file, error: message, code, registered, request: f.current[0]?.id });
  for (const app of appsInScope(core, f, f.current)) feedApp(core, app, { type: event });
  const outcome = failed(code, message);
  for (const r of f.current) r.reply(outcome);
  finish(core, f);
}

// The result of a read: refuse what cannot apply, else bind (outside the loop).
export function onRead(core: MasterCore, ctx: LoadContext, f: ConfigFile, result: LoadResult): void {
  if (core.shuttingDown) return failLoad(core, f, 'E_SHUTTING_DOWN', 'the master is shutting down', 'load-failed');
  if (!result.ok) return failLoad(core, f, 'E_CONFIG', result.error.message, 'load-failed');
  const config = result.config;
  const clash = clashOf(core, config);
  if (clash) return failLoad(core, f, 'E_CONFIG', clash, 'load-failed');
  // A request for one app that the file no longer has is refused on its own.
  const names = new Set(config.apps.map((a) => a.name));
  for (const r of f.current.filter((x) => x.app !== null && !names.has(x.app))) r.reply(failed('E_UNKNOWN_APP', `app "${r.app}" is not in ${f.file}`));
  f.current = f.current.filter((x) => x.app === null || names.has(x.app));
  if (f.current.length === 0) return finish(core, f);
  f.phase = 'binding';
  f.binding = config;
  const scope = f.current.some((r) => r.app === null) ? null : new Set(f.current.map((r) => r.app!));
  const token = f.token;
  const bind = ctx.binder ? ctx.binder.prepare(config, scope).then(() => null, (error: Error) => error.message) : Promise.resolve(null);
  core.track(bind, (error) => ({ type: 'load-bound', file: f.file, token, error }));
}

// The result of a bind: apply the config, or fail with the bind's reason.
export function onBound(core: MasterCore, ctx: LoadContext, f: ConfigFile, error: string | null): void {
  const config = f.binding!;
  if (core.shuttingDown) return failLoad(core, f, 'E_SHUTTING_DOWN', 'the master is shutting down', 'apply-failed');
  if (error !== null) return failLoad(core, f, 'E_BIND', error, 'apply-failed');
  const clash = clashOf(core, config);
  if (clash) {
    if (f.applied === null) ctx.binder?.release(f.file);
    return failLoad(core, f, 'E_CONFIG', clash, 'apply-failed');
  }
  f.applied = { config, at: core.effects.now() };
  f.lastError = null;
  const request = f.current[0]?.id;
  core.notify({ type: 'config-loaded', file: f.file, summary: summarizeConfig(config), config, request });
  for (const w of config.warnings ?? []) core.notify({ type: 'log', level: 'warn', message: `config ${f.file}: ${w.path}: ${w.message}`, request });
  applyConfig(core, config, f.current);
  finish(core, f);
}

// Drops every load of `f` (a forget, a shutdown): its requests hear `code`; late results are ignored.
export function cancelLoads(core: MasterCore, f: ConfigFile, code: ErrorCode, message: string): void {
  f.token++;
  const waiters: Waiter[] = [...f.current, ...f.next].map((r) => r.reply);
  f.current = [];
  f.next = [];
  f.phase = 'idle';
  f.binding = null;
  for (const w of waiters) w(failed(code, message));
}
