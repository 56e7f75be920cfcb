// What one server.listen() call asks for, read the way Node reads its arguments (lib/net.js:
// normalizeArgs and Server.prototype.listen): listen(port[, host][, backlog][, cb]),
// listen(path[, backlog][, cb]), listen(options[, cb]), listen(cb), listen(). Calls the master
// does not serve are `pass`: a handle or fd, `exclusive`/`reusePort`/`ipv6Only` (the worker
// binds its own socket, as in Node's cluster with `exclusive`), and anything Node would refuse,
// so that Node throws its own error.
import path from 'node:path';

// One listen() call, read.
export type ListenCall =
  | { readonly kind: 'pass' }
  | (ListenExtras & { readonly kind: 'tcp'; readonly host: string; readonly port: number })
  | (ListenExtras & { readonly kind: 'unix'; readonly path: string; readonly readableAll: boolean; readonly writableAll: boolean });

// What a call carries besides its address.
export interface ListenExtras {
  readonly backlog: number | undefined;
  readonly callback: ((...args: unknown[]) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

const PASS: ListenCall = { kind: 'pass' };

// Node's toNumber: a non-negative number, or false.
function toNumber(x: unknown): number | false {
  const n = Number(x);
  return n >= 0 ? n : false;
}

const isPipeName = (s: unknown): s is string => typeof s === 'string' && toNumber(s) === false;

// Node's validatePort: an integer 0-65535, or a string of one.
function portOf(value: unknown): number | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  const n = +value;
  return n === n >>> 0 && n <= 0xffff ? n : null;
}

// Reads `args` as Node would; relative unix paths are resolved against `cwd`.
export function readListenCall(args: readonly unknown[], cwd: string): ListenCall {
  const last = args[args.length - 1];
  const callback = typeof last === 'function' ? (last as ListenExtras['callback']) : undefined;
  const fromArgs = toNumber(args.length > 1 && args[1]) || toNumber(args.length > 2 && args[2]) || undefined;
  const arg0 = args[0];
  let options: Record<string, unknown>;
  if (typeof arg0 === 'object' && arg0 !== null) options = arg0 as Record<string, unknown>;
  else if (isPipeName(arg0)) options = { path: arg0 };
  else options = { port: arg0, ...(args.length > 1 && typeof args[1] === 'string' ? { host: args[1] } : {}) };
  if (options._handle || options.handle || typeof options.fd === 'number') return PASS;
  if (options.exclusive === true || options.reusePort === true || options.ipv6Only === true) return PASS;
  const signal = options.signal instanceof AbortSignal ? options.signal : undefined;
  const backlog = (typeof options.backlog === 'number' && options.backlog > 0 ? options.backlog : undefined) ?? fromArgs;
  const extras: ListenExtras = { backlog, callback, signal };
  const noPort = args.length === 0 || typeof arg0 === 'function' || ('port' in options && options.port === undefined) || options.port === null;
  if (noPort || typeof options.port === 'number' || typeof options.port === 'string') {
    const port = noPort ? 0 : portOf(options.port);
    if (port === null) return PASS;
    if (options.host !== undefined && options.host !== null && options.host !== '' && typeof options.host !== 'string') return PASS;
    return { kind: 'tcp', host: typeof options.host === 'string' ? options.host : '', port, ...extras };
  }
  if (isPipeName(options.path)) {
    const p = options.path.startsWith('\0') ? options.path : path.resolve(cwd, options.path);
    return { kind: 'unix', path: p, readableAll: options.readableAll === true, writableAll: options.writableAll === true, ...extras };
  }
  return PASS;
}
