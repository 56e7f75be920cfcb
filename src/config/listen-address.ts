// Parses the `listen` key: "tcp://host:port", "unix:/path", or a bare port.
import path from 'node:path';
import type { ListenAddress } from './types.js';

// A parsed address, or an error message saying what was expected.
export function parseListenAddress(value: string | number, baseDir: string): ListenAddress | string {
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return tcp('0.0.0.0', Number(text), text);
  if (text.startsWith('unix:')) {
    const p = text.slice('unix:'.length).replace(/^\/\//, '');
    if (!p) return `expected a socket path after "unix:", found "${text}"`;
    return { kind: 'unix', path: path.resolve(baseDir, p), text };
  }
  const match = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(text);
  if (!match) return `expected "tcp://host:port", "unix:/path" or a port number, found "${text}"`;
  return tcp(match[1]!.replace(/^\[|\]$/g, ''), Number(match[2]), text);
}

function tcp(host: string, port: number, text: string): ListenAddress | string {
  if (port > 65535) return `expected a port 0-65535, found ${port} in "${text}"`;
  return { kind: 'tcp', host, port, text };
}

// A key that identifies the bound resource, so two apps cannot claim the same one.
export function listenKey(addr: ListenAddress): string {
  return addr.kind === 'unix' ? `unix:${addr.path}` : `tcp:${addr.port}`;
}
