// Answers the master's metrics requests with the worker's own prom-client metrics.
// prom-client is not a dependency of the SDK: it is loaded lazily, on the first request,
// from the worker's own dependencies (resolved from its main script, then its cwd), so
// the worker's `import client from 'prom-client'` and ours share one global registry.
import { createRequire } from 'node:module';
import path from 'node:path';
import { IPC_MAX_METRICS_REPLY_BYTES, IPC_VERSION, parseMasterMessage } from '../protocol/ipc.js';
import { ENV_WORKER_ID } from '../protocol/env.js';
import { sendToMaster } from './channel.js';

// The part of a prom-client Registry the SDK reads.
export interface MetricsSource {
  getMetricsAsJSON(): Promise<unknown[]> | unknown[];
  getMetricsAsArray?(): { name: string; labelNames?: readonly string[] }[];
}

let sources: readonly MetricsSource[] | null = null;

// Sets the registries whose metrics the master aggregates (default: prom-client's global one).
export function setMetricsRegistries(...registries: MetricsSource[]): void {
  sources = registries;
}

// prom-client's global registry as the worker itself resolves it, or null when not installed.
function globalRegistry(): MetricsSource | null {
  const bases = [process.argv[1], path.join(process.cwd(), 'index.js')].filter((b): b is string => typeof b === 'string' && b.length > 0);
  for (const base of bases) {
    try {
      const client = createRequire(path.resolve(base))('prom-client') as { register?: MetricsSource };
      if (client.register) return client.register;
    } catch {
      // not installed next to this base; try the next
    }
  }
  return null;
}

type Value = { labels?: Record<string, unknown> };

// One registry's metrics, with the `worker` label filled in on metrics that declare it.
async function metricsOf(source: MetricsSource, worker: string): Promise<unknown[]> {
  const json = await source.getMetricsAsJSON();
  const perWorker = new Set((source.getMetricsAsArray?.() ?? []).filter((m) => m.labelNames?.includes('worker')).map((m) => m.name));
  if (perWorker.size === 0) return json;
  // Copies, never edits: prom-client hands out its own value objects.
  return (json as { name?: string; values?: Value[] }[]).map((m) =>
    m.name && perWorker.has(m.name) ? { ...m, values: (m.values ?? []).map((v) => ({ ...v, labels: { worker, ...v.labels } })) } : m,
  );
}

// Answers one metrics request from the master.
async function answer(id: number): Promise<void> {
  sources ??= [globalRegistry()].filter((s): s is MetricsSource => s !== null);
  try {
    const worker = process.env[ENV_WORKER_ID] ?? '0';
    const lists = await Promise.all(sources.map((s) => metricsOf(s, worker)));
    const reply = { type: 'supervisor:metrics', v: IPC_VERSION, id, metrics: lists.flat() } as const;
    // A larger answer would make the master take this worker for a broken one and kill it.
    const bytes = Buffer.byteLength(JSON.stringify(reply));
    if (bytes >= IPC_MAX_METRICS_REPLY_BYTES) throw new Error(`the metrics take ${bytes} bytes as JSON, over the ${IPC_MAX_METRICS_REPLY_BYTES}-byte limit of the IPC channel`);
    sendToMaster(reply);
  } catch (error) {
    sendToMaster({ type: 'supervisor:metrics', v: IPC_VERSION, id, metrics: [], error: (error as Error).message });
  }
}

// Handles an IPC message if it is a metrics request; true when it was.
export function handleMetricsRequest(raw: unknown): boolean {
  const msg = parseMasterMessage(raw);
  if (msg?.type !== 'supervisor:metrics-request') return false;
  void answer(msg.id);
  return true;
}
