// The verbs of the control socket, mapped onto the master. `reload` takes the very same
// path as SIGHUP (Master.reload), as gunicorn's and supervisord's control planes do.
// Outcomes pass through with their code unchanged.
import path from 'node:path';
import type { ControlHandler, HandlerResult } from './control-server.js';
import type { Master } from './master.js';
import type { StatusReport } from './status.js';
import { followRequest } from './request-progress.js';
import type { Outcome } from './outcome.js';
import { withDeadline } from './deadline.js';
import { withUsage } from './usage.js';
import { MAX_INSTANCES } from '../protocol/limits.js';
import { RUNNING_VERSION } from '../runtime/versions.js';

// How long the CPU/memory sampling of a status may take; after that, status answers without it.
const USAGE_DEADLINE_MS = 2_000;

// True while this master answers: a fatal app stays down in it until a reload starts it again.
const FATAL_ADVICE = 'The master keeps running; once the cause is fixed, "supervisor reload <app>" starts a fatal app again.';

const answer = (o: Outcome): HandlerResult => (o.ok ? { ok: true, message: o.message } : { ok: false, code: o.code, message: o.code === 'E_FATAL' ? `${o.message}\n${FATAL_ADVICE}` : o.message });

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

// Runs one request and streams the master's log lines caused by it (and by the requests it
// merged into) to `progress`, and nothing else.
async function withProgress(master: Master, progress: (line: string) => void, run: (request: number) => Promise<Outcome>): Promise<HandlerResult> {
  const own = master.newRequestId();
  const unsubscribe = followRequest(master, own, progress);
  try {
    return answer(await run(own));
  } finally {
    unsubscribe();
  }
}

// The handler table for one master. `extra` lets attachments (metrics, logs) add verbs.
// `statusExtras` adds what the master core does not know (the metrics endpoint) to `status`.
export function controlHandlers(master: Master, extra: Partial<Record<string, ControlHandler>> = {}, statusExtras: () => Partial<StatusReport> = () => ({})): Partial<Record<string, ControlHandler>> {
  return {
    ping: async () => ({ ok: true, data: { pid: process.pid, version: RUNNING_VERSION } }),
    status: async () => {
      const report = { ...(await master.status()), ...statusExtras() };
      return { ok: true, data: await withDeadline(withUsage(report), USAGE_DEADLINE_MS, () => report) };
    },
    reload: async (req, progress) => withProgress(master, progress, (request) => master.reload({ app: str(req.args.app), reason: 'supervisor reload', request })),
    restart: async (req, progress) => withProgress(master, progress, (request) => master.restart({ app: str(req.args.app), reason: 'supervisor restart', request })),
    scale: async (req) => {
      const n = req.args.instances;
      const app = str(req.args.app);
      if (app === null || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_INSTANCES) return { ok: false, code: 'E_BAD_REQUEST', message: `scale needs an app and a whole number of workers from 0 to ${MAX_INSTANCES}` };
      return answer(await master.scale(app, n));
    },
    stop: async (req, progress) => withProgress(master, progress, (request) => master.stop(str(req.args.app), { request })),
    delete: async (req, progress) => {
      const app = str(req.args.app);
      if (app === null) return { ok: false, code: 'E_BAD_REQUEST', message: 'delete needs an app' };
      return withProgress(master, progress, (request) => master.stop(app, { request, remove: true }));
    },
    start: async (req, progress) => {
      const app = str(req.args.app);
      if (app !== null) return withProgress(master, progress, (request) => master.startApp(app, { request }));
      const file = str(req.args.config);
      if (file === null || !path.isAbsolute(file)) return { ok: false, code: 'E_BAD_REQUEST', message: 'start needs the absolute path of a config file' };
      return withProgress(master, progress, (request) => master.start(path.normalize(file), { env: str(req.args.env), request }));
    },
    forget: async (req, progress) => {
      const file = str(req.args.config);
      if (file === null || !path.isAbsolute(file)) return { ok: false, code: 'E_BAD_REQUEST', message: 'forget needs the absolute path of a config file' };
      return withProgress(master, progress, (request) => master.forget(path.normalize(file), { request }));
    },
    ...extra,
  };
}
