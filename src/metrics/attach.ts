// Wires metrics into a master: the collector and the resource sampler follow its notices,
// the HTTP endpoint opens on the first loaded config that enables metrics (later configs
// cannot move it), and the control socket gains the `metrics` verb.
import type { Attachment } from '../master/boot.js';
import type { Master } from '../master/master.js';
import type { MasterNotice } from '../master/notices.js';
import type { MetricsSpec } from '../config/types.js';
import { MetricsCollector, type MetricsLog } from './collector.js';
import { startEndpoint, type MetricsEndpoint, MetricsListenError } from './http-server.js';
import { ResourceSampler } from './resource-sampler.js';

// How long the master's loop may take to answer the /healthz probe.
export const HEALTH_DEADLINE_MS = 2_000;

// Whether the endpoint serves, for `status`: its URL, or why not (`problem`: it was wanted but
// could not listen; null when no config asked for it).
export interface MetricsStatus { readonly state: 'on' | 'off'; readonly url: string | null; readonly problem: string | null }

// The attachment, plus the outcome of opening the endpoint for the first config.
export interface MetricsAttachment {
  readonly attachment: Attachment;
  readonly collector: MetricsCollector;
  status(): MetricsStatus;
  // Resolves once the first config was loaded (or rejected) and, if it enabled metrics, the
  // endpoint listens (null) or failed to (the error, after asking the master to shut down).
  readonly firstListen: Promise<MetricsListenError | null>;
  handOut(): Promise<InheritedEndpoint | null>;
}

// Null when the master's loop answers a probe (a status snapshot, taken between two events)
// within the deadline, else why not.
export async function probe(master: Pick<Master, 'status' | 'lastTurnAt'>, deadlineMs = HEALTH_DEADLINE_MS): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`the master's event loop did not answer within ${deadlineMs} ms (last turn ${Date.now() - master.lastTurnAt} ms ago)`), deadlineMs)));
  const answer = await Promise.race([master.status().then(() => null), late]);
  clearTimeout(timer);
  return answer;
}

// The one warning when the default metrics address is taken, with the fix.
function defaultPortTaken(spec: MetricsSpec, file: string): string {
  return `metrics: the default address ${spec.host}:${spec.port} is in use (another master or program holds it), so this master serves no metrics endpoint ("supervisor metrics" still works). To serve one, set "metrics": { "port": <a free port> } in ${file}; "metrics": false turns this warning off.`;
}

// The metrics socket a previous master handed over (`supervisor upgrade`), with the address it serves.
export interface InheritedEndpoint { readonly fd: number; readonly host: string; readonly port: number }

// Attaches metrics to `master`; `log` writes the master's log lines; `inherited` is used when
// the first config asks for the address it serves.
export function attachMetrics(master: Master, log: MetricsLog, inherited: InheritedEndpoint | null = null): MetricsAttachment {
  const collector = new MetricsCollector(master, log);
  const sampler = new ResourceSampler(collector.own.book, { replaceWorker: (app, slot, reason) => master.replaceWorker(app, slot, reason), log });
  let endpoint: Promise<MetricsEndpoint | null> | null = null;
  let served: { file: string; spec: MetricsSpec } | null = null;
  let booting = true;
  let state: MetricsStatus = { state: 'off', url: null, problem: null };
  let settle!: (e: MetricsListenError | null) => void;
  const firstListen = new Promise<MetricsListenError | null>((resolve) => (settle = resolve));
  const settleFirst = (e: MetricsListenError | null) => {
    booting = false;
    settle(e);
  };

  const listen = (file: string, spec: MetricsSpec) => {
    served = { file, spec };
    const atBoot = booting;
    const fd = inherited && inherited.host === spec.host && inherited.port === spec.port ? inherited.fd : null;
    endpoint = startEndpoint(spec, { metrics: (format) => collector.text(format), health: () => probe(master) }, file, fd).then(
      (ep) => {
        log('info', `metrics: serving ${ep.url}/metrics and ${ep.url}/healthz`);
        state = { state: 'on', url: `${ep.url}/metrics`, problem: null };
        settleFirst(null);
        return ep;
      },
      (error: MetricsListenError) => {
        // The default port is a guess, not the user's choice: another master (another user,
        // another project) may hold it. Then this master starts without the endpoint, and
        // says so once: reloads do not try again.
        const soft = error.inUse && spec.defaultPort;
        if (!soft) served = null; // a later config may try again
        const problem = soft ? defaultPortTaken(spec, file) : error.message;
        log(soft ? 'warn' : 'error', problem);
        state = { state: 'off', url: null, problem };
        if (!atBoot || soft) {
          settleFirst(null);
          return null; // a config started into a running master does not stop it
        }
        settleFirst(error);
        master.shutdown('the metrics endpoint could not listen');
        return null;
      },
    );
  };

  const unsubscribe = master.observe((n: MasterNotice) => {
    collector.observe(n);
    sampler.observe(n);
    if (n.type === 'config-failed') settleFirst(null);
    if (n.type !== 'config-loaded') return;
    const spec = n.config.metrics;
    if (served === null) {
      if (spec === null) settleFirst(null);
      else listen(n.file, spec);
    } else if (served.file === n.file && (spec?.host !== served.spec.host || spec?.port !== served.spec.port)) {
      log('warn', `metrics: the new address in ${n.file} takes effect when the master restarts; still serving ${served.spec.host}:${served.spec.port}`);
    }
  });
  sampler.start();

  const attachment: Attachment = {
    handlers: {
      metrics: async (req) => ({ ok: true, data: { text: await collector.text(req.args.format === 'openmetrics' ? 'openmetrics' : 'text') } }),
    },
    async stop() {
      unsubscribe();
      await sampler.stop();
      const ep = await endpoint;
      await ep?.close();
    },
  };
  // The endpoint's socket and the address it serves, for a master that replaces this one.
  const handOut = async (): Promise<InheritedEndpoint | null> => {
    const ep = await endpoint;
    return ep?.fd != null && served ? { fd: ep.fd, host: served.spec.host, port: served.spec.port } : null;
  };
  return { attachment, collector, firstListen, status: () => state, handOut };
}
