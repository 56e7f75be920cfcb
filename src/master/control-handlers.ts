// The verbs of the control socket, mapped onto the master. `reload` takes the very same
// path as SIGHUP (Master.reload), as gunicorn's and supervisord's control planes do.
import path from 'node:path';
import type { OutcomeReport } from './app-runtime.js';
import type { ControlHandler, HandlerResult } from './control-server.js';
import type { Master } from './master.js';
import { formatNotice } from './log-lines.js';
import { withUsage } from './usage.js';

function outcome(r: OutcomeReport): HandlerResult {
  if (r.ok) return { ok: true, message: r.message };
  return { ok: false, code: /unknown app|is not in/.test(r.message) ? 'E_UNKNOWN_APP' : 'E_FAILED', message: r.message };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

// Streams the master's log lines for `app` (or all) to `progress` while `run` is pending.
async function withProgress(master: Master, app: string | null, progress: (line: string) => void, run: () => Promise<OutcomeReport>): Promise<HandlerResult> {
  const unsubscribe = master.observe((n) => {
    if (n.type === 'worker-output') return;
    if (app !== null && 'app' in n && n.app !== app) return;
    if (app !== null && 'worker' in n && n.worker.app !== app) return;
    const line = formatNotice(n, false);
    if (line) progress(line.text);
  });
  try {
    return outcome(await run());
  } finally {
    unsubscribe();
  }
}

// The handler table for one master. `extra` lets attachments (metrics, logs) add verbs.
export function controlHandlers(master: Master, extra: Partial<Record<string, ControlHandler>> = {}): Partial<Record<string, ControlHandler>> {
  return {
    ping: async () => ({ ok: true, data: { pid: process.pid } }),
    status: async () => ({ ok: true, data: await withUsage(await master.status()) }),
    reload: async (req, progress) => withProgress(master, str(req.args.app), progress, () => master.reload({ app: str(req.args.app), reason: 'supervisor reload' })),
    restart: async (req, progress) => withProgress(master, str(req.args.app), progress, () => master.restart({ app: str(req.args.app), reason: 'supervisor restart' })),
    scale: async (req) => {
      const n = req.args.instances;
      const app = str(req.args.app);
      if (app === null || typeof n !== 'number' || !Number.isInteger(n) || n < 0) return { ok: false, code: 'E_BAD_REQUEST', message: 'scale needs an app and a whole number >= 0' };
      return outcome(await master.scale(app, n));
    },
    stop: async (req, progress) => withProgress(master, str(req.args.app), progress, () => master.stop(str(req.args.app))),
    start: async (req, progress) => {
      const file = str(req.args.config);
      if (file === null) return { ok: false, code: 'E_BAD_REQUEST', message: 'start needs a config file' };
      return withProgress(master, null, progress, () => master.start(path.resolve(file), { env: str(req.args.env) }));
    },
    ...extra,
  };
}
