// The real worker process: spawned with a stdin pipe from the master, inherited
// listening sockets, a readiness fd, for Node workers an IPC channel on a plain socketpair
// (see ipc-channel.ts), and stdout/stderr read as bounded lines (see output-pump.ts) from
// pipes read into reused buffers (see output-pipe.ts).
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { OutputMeta, SpawnRequest, WorkerCallbacks, WorkerHandle } from '../master/effects.js';
import { ENV_READY_FD, workerEnv } from './worker-env.js';
import { wrappedCommand } from './command.js';
import { MasterChannel } from './ipc-channel.js';
import { linePump, type PumpSink } from './output-pump.js';
import { openOutputPipes } from './output-pipe.js';
import { spawnChild } from './spawn-child.js';
import { compileCacheEnv } from './compile-cache.js';
import type { WorkerGroups } from './process-groups.js';
import { clusterSpawn, type ClusterHost } from '../cluster/worker-spawn.js';
import { ClusterPort } from '../cluster/worker-port.js';

const STREAMS = ['stdout', 'stderr'] as const;
// A ready fd that got this much without a newline is no longer read (the worker then blocks).
const READY_FD_MAX_BYTES = 64 * 1024;

// What the spawner needs from the rest of the master: the fds of an app's bound sockets.
export interface SpawnContext {
  listenFds(app: string): { fds: readonly number[]; names: readonly string[] };
  uidGid(spec: SpawnRequest['spec']): { uid?: number; gid?: number };
  // Told of each worker's process group: stops what a worker leaves behind (process-groups.ts).
  readonly groups?: WorkerGroups;
  // Cluster mode's sockets (absent: cluster-mode apps run as fork mode).
  readonly cluster?: ClusterHost;
  // Where Node workers keep their compile cache, one folder per app (compile-cache.ts).
  readonly compileCacheRoot?: string;
}

// Spawns one worker and wires its events to `cb`.
export function spawnWorkerProcess(req: SpawnRequest, cb: WorkerCallbacks, ctx: SpawnContext): WorkerHandle {
  const { spec } = req;
  const listen = ctx.listenFds(spec.name);
  const readyFd = 3 + listen.fds.length;
  const channelFd = readyFd + 1;
  const extra: Record<string, string> = { [ENV_READY_FD]: String(readyFd) };
  if (listen.fds.length > 0) {
    extra.LISTEN_FDS = String(listen.fds.length);
    extra.LISTEN_FDNAMES = listen.names.join(':');
  }
  if (spec.ipc) {
    // The worker's Node sets up process.send / process.on('message') on this fd by itself.
    extra.NODE_CHANNEL_FD = String(channelFd);
    extra.NODE_CHANNEL_SERIALIZATION_MODE = 'json';
  }
  const cluster = clusterSpawn(ctx.cluster, spec, listen.fds, channelFd + 1);
  Object.assign(extra, cluster?.env);
  const cmd = wrappedCommand(spec, listen.fds.length > 0);
  const ids = ctx.uidGid(spec); // may throw (an unknown user): before any fd is opened
  if (ctx.compileCacheRoot) Object.assign(extra, compileCacheEnv(ctx.compileCacheRoot, spec, ids.uid !== undefined || ids.gid !== undefined));
  const feeds: ((chunk: Buffer) => void)[] = [];
  const pipes = openOutputPipes(STREAMS.length, (i, chunk) => feeds[i]!(chunk));
  const stdio = ['pipe', pipes?.[0]!.childFd ?? 'pipe', pipes?.[1]!.childFd ?? 'pipe', ...listen.fds, 'pipe', ...(spec.ipc ? ['pipe'] : []), ...(cluster?.fds ?? [])] as SpawnOptions['stdio'];
  const options: SpawnOptions = {
    cwd: spec.cwd,
    env: workerEnv(process.env, spec, req.slot, req.generation, extra),
    stdio,
    detached: true,
    ...ids,
  };
  let failed: ((reason: string) => void) | null = null;
  const child = spawnChild(cmd.file, cmd.args, options, (reason) => failed?.(reason));
  for (const p of pipes ?? []) closeSync(p.childFd); // the worker holds its own copy now
  if (child?.pid === undefined) {
    for (const p of pipes ?? []) p.reader.destroy();
    return notStarted(cb, (report) => (failed = report));
  }
  const subprocess: ChildProcess = child;
  const pid = subprocess.pid ?? null;
  if (pid !== null) ctx.groups?.started(pid, spec, req.slot, ids.uid ?? process.geteuid?.() ?? 0);
  let exited = false;
  const signal = (sig: NodeJS.Signals) => {
    if (pid === null || exited) return;
    try {
      process.kill(spec.kill_group ? -pid : pid, sig);
    } catch {
      // already gone
    }
  };
  const socket = spec.ipc ? (subprocess.stdio[channelFd] as Duplex | undefined) : undefined;
  let port: ClusterPort | null = null;
  const channel = socket
    ? new MasterChannel(socket, {
        message: (message) => (message.type === 'supervisor:listen' ? port?.request(message) : cb.message(message)),
        broken: (reason) => {
          cb.broken?.(reason);
          signal('SIGKILL');
        },
        handleAck: (ok) => port?.handleAck(ok),
      })
    : null;
  if (cluster && ctx.cluster && socket && channel) port = clusterPort(ctx.cluster, spec, socket, channel, cb);
  const exit = (code: number | null, sig: string | null) => {
    if (exited) return;
    exited = true;
    port?.close();
    channel?.close();
    // A grandchild may still hold the worker's pipes; keep reading them, but never let
    // them keep the master alive.
    for (const stream of [...subprocess.stdio, ...(pipes ?? []).map((p) => p.reader)]) (stream as { unref?: () => void } | null)?.unref?.();
    if (pid !== null) ctx.groups?.exited(pid, sig === 'SIGKILL');
    cb.exit(code, sig);
  };
  subprocess.on('exit', (code, sig) => exit(code, sig));
  STREAMS.forEach((stream, i) => {
    let whole: OutputMeta | null = null;
    let cut = 0;
    const deliver: PumpSink = (text, truncated, flow) => cb.output(stream, text, truncated ? { truncated, first: ++cut === 1, flow } : (whole ??= { flow }));
    const source = pipes?.[i]!.reader ?? subprocess[stream];
    if (!source) return;
    feeds[i] = linePump(source, spec.max_line_length, deliver);
    if (!pipes) source.on('data', feeds[i]!);
  });
  subprocess.stdin?.on('error', () => undefined);
  const ready = subprocess.stdio[readyFd] as Readable | undefined;
  if (ready) {
    // Read until the newline, then no more: what a worker writes there after (or instead of)
    // it fills the pipe and blocks the worker, never the master.
    let seen = 0;
    ready.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (chunk.includes(10)) {
        ready.pause();
        cb.readyFd();
      } else if (seen > READY_FD_MAX_BYTES) ready.pause();
    });
    ready.on('error', () => undefined);
  }
  return {
    pid,
    send(message) {
      if (!exited) channel?.send(message);
    },
    signal,
  };
}

// The handle of a worker that never started: its exit (with the reason) comes once the
// spawner says why; a SIGKILL before that reports it at once, so a stop never waits on it.
function notStarted(cb: WorkerCallbacks, onReason: (report: (reason: string) => void) => void): WorkerHandle {
  let exited = false;
  const exit = (reason: string) => {
    if (exited) return;
    exited = true;
    cb.exit(null, null, reason);
  };
  onReason(exit);
  return {
    pid: null,
    send: () => undefined,
    signal: (sig) => {
      if (sig === 'SIGKILL') exit('it was never started');
    },
  };
}

// The master's side of a cluster-mode worker's listen requests, answering on its channel.
function clusterPort(host: ClusterHost, spec: SpawnRequest['spec'], socket: Duplex, channel: MasterChannel, cb: WorkerCallbacks): ClusterPort {
  return new ClusterPort({
    spec,
    binder: host,
    link: { socket: socket as Socket, flushed: () => channel.flushed(), hold: () => channel.hold(), release: () => channel.release() },
    send: (message) => channel.send(message),
    report: (report) => cb.listen?.(report),
  });
}
