// What a master that upgrades itself tells the master it starts (the handoff, in the new
// master's environment), and the messages the two send each other on the IPC channel
// between them. docs/protocols.md, "Upgrading the master", tells the whole exchange.
import type { ListenAddress } from '../config/types.js';

// The environment variable that carries the handoff (JSON) to the new master.
export const ENV_UPGRADE = 'SUPERVISOR_INTERNAL_UPGRADE';

// One listening socket the old master owns, passed to the new one at `fd`.
export interface HandedSocket {
  readonly fd: number;
  readonly kind: 'listen' | 'cluster';
  readonly app: string;
  readonly file: string;
  // The registry's key for it (listenKey for `listen`, the address key for cluster mode).
  readonly key: string;
  readonly address: ListenAddress;
  readonly port: number | null;
  readonly name: string;
}

// A config file the old master runs and the `--env` it was started with.
export interface HandedConfig { readonly file: string; readonly env: string | null }

// Everything the new master needs to take over.
export interface Handoff {
  readonly v: 1;
  // The old master's pid and version.
  readonly from: number;
  readonly fromVersion: string;
  readonly sockets: readonly HandedSocket[];
  readonly configs: readonly HandedConfig[];
  // What `supervisor scale` and `stop <app>` changed against the files: kept by the new master.
  readonly scaled: readonly { readonly app: string; readonly instances: number }[];
  readonly stopped: readonly string[];
  // The metrics endpoint's socket and the address it serves, or null when none listens.
  readonly metrics: { readonly fd: number; readonly host: string; readonly port: number } | null;
}

// The messages on the channel between the two masters.
export type UpgradeMessage =
  // new -> old: every app of every file runs on the new master; it waits for take-over.
  | { readonly type: 'supervisor:upgrade-ready'; readonly pid: number; readonly version: string }
  // new -> old: it could not start; it has stopped what it started and exits.
  | { readonly type: 'supervisor:upgrade-failed'; readonly message: string }
  // new -> old: one line of its first start, for the `upgrade` caller.
  | { readonly type: 'supervisor:upgrade-progress'; readonly line: string }
  // old -> new: you are the master now (control socket, pidfile); the old one finishes.
  | { readonly type: 'supervisor:take-over' }
  // new -> old: the control socket and the pidfile are the new master's.
  | { readonly type: 'supervisor:took-over' };

const TYPES = new Set(['supervisor:upgrade-ready', 'supervisor:upgrade-failed', 'supervisor:upgrade-progress', 'supervisor:take-over', 'supervisor:took-over']);

// True for one of the upgrade messages (the other side is our own code, possibly of another version).
export function isUpgradeMessage(raw: unknown): raw is UpgradeMessage {
  return typeof raw === 'object' && raw !== null && TYPES.has((raw as { type?: unknown }).type as string);
}

const isAddress = (a: unknown): a is ListenAddress => {
  const x = a as Partial<Record<string, unknown>> | null;
  if (typeof x !== 'object' || x === null || typeof x.text !== 'string') return false;
  return (x.kind === 'tcp' && typeof x.host === 'string' && typeof x.port === 'number') || (x.kind === 'unix' && typeof x.path === 'string');
};

const isSocket = (s: unknown): s is HandedSocket => {
  const x = s as Partial<Record<keyof HandedSocket, unknown>> | null;
  return typeof x === 'object' && x !== null && typeof x.fd === 'number' && Number.isInteger(x.fd) && x.fd > 2
    && (x.kind === 'listen' || x.kind === 'cluster') && typeof x.app === 'string' && typeof x.file === 'string'
    && typeof x.key === 'string' && typeof x.name === 'string' && (x.port === null || typeof x.port === 'number') && isAddress(x.address);
};

// The handoff in `text`, or a message saying what is wrong with it.
export function parseHandoff(text: string): Handoff | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `${ENV_UPGRADE} is not JSON`;
  }
  const h = raw as Partial<Record<keyof Handoff, unknown>> | null;
  if (typeof h !== 'object' || h === null || h.v !== 1) return `${ENV_UPGRADE}: expected version 1 of the handoff`;
  if (typeof h.from !== 'number' || typeof h.fromVersion !== 'string') return `${ENV_UPGRADE}: from and fromVersion are missing`;
  if (!Array.isArray(h.sockets) || !h.sockets.every(isSocket)) return `${ENV_UPGRADE}: sockets: expected a list of handed sockets`;
  if (!Array.isArray(h.scaled) || !h.scaled.every((x: unknown) => typeof (x as { app?: unknown })?.app === 'string' && Number.isInteger((x as { instances?: unknown }).instances))) return `${ENV_UPGRADE}: scaled: expected a list of { app, instances }`;
  if (!Array.isArray(h.stopped) || !h.stopped.every((x: unknown) => typeof x === 'string')) return `${ENV_UPGRADE}: stopped: expected a list of app names`;
  const m = h.metrics as { fd?: unknown; host?: unknown; port?: unknown } | null | undefined;
  if (m !== null && (typeof m !== 'object' || typeof m.fd !== 'number' || !Number.isInteger(m.fd) || m.fd <= 2 || typeof m.host !== 'string' || typeof m.port !== 'number')) return `${ENV_UPGRADE}: metrics: expected null or { fd, host, port }`;
  if (!Array.isArray(h.configs) || h.configs.length === 0 || !h.configs.every((c: unknown) => typeof (c as HandedConfig)?.file === 'string' && ((c as HandedConfig).env === null || typeof (c as HandedConfig).env === 'string'))) return `${ENV_UPGRADE}: configs: expected at least one config file`;
  return h as Handoff;
}
