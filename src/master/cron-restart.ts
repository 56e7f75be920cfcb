// PM2's cron_restart: an app with a cron pattern gets a graceful rolling reload on that
// schedule, the same request a SIGHUP makes but scoped to the app. One timer per app, set
// for the next run computed by croner (the parser PM2 uses); a run that would be further
// away than a Node timer can wait re-arms at the cap. Timers follow the loaded config: an
// app that stops or loses its pattern loses its timer. croner is loaded only when an app has one.
import type { Cron } from 'croner';
import type { AppSpec } from '../config/types.js';
import type { AttachmentLog } from './config-watch.js';
import type { Master } from './master.js';
import type { MasterNotice } from './notices.js';

// The longest delay a Node timer holds.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Schedule { readonly pattern: string; readonly cron: Cron; timer: NodeJS.Timeout | null }

// Keeps one cron timer per app with cron_restart, in step with the loaded config.
export function cronRestarts(master: Master, log: AttachmentLog): { stop(): Promise<void> } {
  const schedules = new Map<string, Schedule>();
  let stopped = false;
  let syncing: Promise<void> = Promise.resolve();

  const arm = (app: string, s: Schedule) => {
    const next = s.cron.nextRun();
    if (next === null) return void log('warn', `app ${app}: cron_restart "${s.pattern}" has no future run; no reload is scheduled`);
    const delay = Math.max(0, next.getTime() - Date.now());
    s.timer = setTimeout(() => {
      s.timer = null;
      if (stopped || schedules.get(app) !== s) return;
      if (delay <= MAX_TIMER_MS) void master.reload({ app, reason: `cron_restart "${s.pattern}"` });
      arm(app, s);
    }, Math.min(delay, MAX_TIMER_MS));
    s.timer.unref();
  };
  const drop = (app: string) => {
    const s = schedules.get(app);
    if (s?.timer) clearTimeout(s.timer);
    s?.cron.stop();
    schedules.delete(app);
  };

  const sync = async () => {
    const wanted = new Map((await master.appSpecs()).filter((a) => a.spec.cron_restart !== null).map((a): [string, AppSpec] => [a.spec.name, a.spec]));
    if (stopped) return;
    for (const app of [...schedules.keys()]) if (wanted.get(app)?.cron_restart !== schedules.get(app)!.pattern) drop(app);
    if (![...wanted.keys()].some((app) => !schedules.has(app))) return;
    const { Cron: CronClass } = await import('croner');
    if (stopped) return;
    for (const [app, spec] of wanted) {
      if (schedules.has(app)) continue;
      const s: Schedule = { pattern: spec.cron_restart!, cron: new CronClass(spec.cron_restart!, { paused: true }), timer: null };
      schedules.set(app, s);
      arm(app, s);
      log('info', `app ${app}: cron_restart "${s.pattern}": a rolling reload at each run, next at ${s.cron.nextRun()?.toISOString() ?? 'never'}`);
    }
  };
  const resync = () => {
    syncing = syncing.then(sync).catch((error: unknown) => log('error', `cron_restart: ${(error as Error).message}`));
  };
  const unsubscribe = master.observe((n: MasterNotice) => {
    if (n.type === 'config-loaded' || n.type === 'app-stopped' || n.type === 'app-started') resync();
  });
  resync();
  return {
    stop: async () => {
      stopped = true;
      unsubscribe();
      for (const app of [...schedules.keys()]) drop(app);
    },
  };
}
