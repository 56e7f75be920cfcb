// PM2's exec_mode, decided the way PM2 decides it (lib/Common.js, determineExecMode): cluster
// mode when the file asks for it, or when it has no exec_mode and the app is a Node.js script
// with `instances`. Three differences, on purpose: `listen` keeps an app that does not ask for
// cluster mode in fork mode (the master already binds its sockets); every `instances` value
// counts (PM2 leaves -2 and below in fork mode, whose workers would then fight for the port);
// and bun does not count (the listen() preload is Node's).
import { closeSync, openSync, readSync } from 'node:fs';
import type { AppInput } from './schema.js';
import type { ConfigIssue } from './errors.js';

// Why an app would run in cluster mode: the file says so, PM2's rule implies it, or neither.
export type ClusterWish = 'asked' | 'implied' | null;

// Whether the app's keys ask for cluster mode, before its interpreter is known.
export function clusterWish(input: AppInput): ClusterWish {
  if (input.exec_mode === 'cluster' || input.exec_mode === 'cluster_mode') return 'asked';
  const listens = Array.isArray(input.listen) ? input.listen.length > 0 : input.listen !== undefined;
  return input.exec_mode === undefined && input.instances !== undefined && !listens ? 'implied' : null;
}

// True when an executable script starts with a `#!` line that runs node (`#!/usr/bin/env node`,
// express-generator's bin/www): PM2 runs such a script with node in cluster mode, and so do we.
export function hasNodeShebang(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(256);
    const line = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('latin1').split('\n')[0]!;
    return /^#!\s*(\S*\/)?(env\s+(-\S+\s+)*)?node(js)?(\s|$)/.test(line);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// The exec_mode an app runs in; a cluster mode that cannot be had (the worker is not Node.js)
// is fork mode with a warning in `warnings`.
export function execModeOf(wish: ClusterWish, node: boolean, input: AppInput, at: string, warnings: ConfigIssue[]): 'fork' | 'cluster' {
  if (wish === null) return 'fork';
  if (node) return 'cluster';
  if (wish === 'asked') {
    const runs = input.interpreter !== undefined && input.interpreter !== 'none' ? `runs with ${input.interpreter}` : 'is not a Node.js script';
    warnings.push({ path: `${at}.exec_mode`, message: `"cluster" is for Node.js scripts and "${input.script}" ${runs}: it runs in fork mode, where each instance binds its own ports; point "script" at the app's .js file, or set "listen" to share a port` });
  }
  return 'fork';
}
