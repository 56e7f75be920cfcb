// The real worker process: spawned with execa, with a stdin pipe from the master, inherited
// listening sockets, a readiness fd, for Node workers an IPC channel on a plain socketpair
// (see ipc-channel.ts), and stdout/stderr read as bounded lines (see output-pump.ts) from
// pipes read into reused buffers (see output-pipe.ts).
import { execa, type Options } from 'execa';
import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { OutputMeta, SpawnRequest, WorkerCallbacks, WorkerHandle } from '../master/effects.js';
import { ENV_READY_FD, workerEnv } from './worker-env.js';
import { wrappedCommand } from './command.js';
import { MasterChannel } from './ipc-channel.js';
import { linePump, type PumpSink } from './output-pump.js';
import { openOutputPipes } from './output-pipe.js';
import { clusterSpawn, type ClusterHost } from '../cluster/worker-spawn.js';
import { ClusterPort } from '../cluster/worker-port.js';

const STREAMS = ['stdout', 'stderr'] as const;
// A ready fd that got this much without a newline is no longer read (the worker then blocks).
const READY_FD_MAX_BYTES = 64 * 1024;

// What the spawner needs from the rest of the master: the fds of an app's bound sockets.
export interface SpawnContext {
  listenFds(app: string): { fds: readonly number[]; names: readonly string[] };
  uidGid(spec: SpawnRequest['spec']): { uid?: number; gid?: number };
  // Cluster mode's sockets (absent: cluster-mode apps run as fork mode).
  readonly cluster?: ClusterHost;
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
  const feeds: ((chunk: Buffer) => void)[] = [];
  const pipes = openOutputPipes(STREAMS.length, (i, chunk) => feeds[i]!(chunk));
  const stdio = ['pipe', pipes?.[0]!.childFd ?? 'pipe', pipes?.[1]!.childFd ?? 'pipe', ...listen.fds, 'pipe', ...(spec.ipc ? ['pipe'] : []), ...(cluster?.fds ?? [])] as Options['stdio'];
  const options: Options = {
    cwd: spec.cwd,
    env: workerEnv(process.env, spec, req.slot, req.generation, extra),
    extendEnv: false,
    stdio,
    detached: true,
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    ...ctx.uidGid(spec),
  };
  let subprocess: ReturnType<typeof execa<Options>>;
  try {
    subprocess = execa(cmd.file, [...cmd.args], options);
  } catch (error) {
    for (const p of pipes ?? []) p.reader.destroy();
    throw error;
  } finally {
    for (const p of pipes ?? []) closeSync(p.childFd); // the worker holds its own copy now
  }
  const pid = subprocess.pid ?? null;
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
    cb.exit(code, sig);
  };
  subprocess.on('exit', (code, sig) => exit(code, sig));
  subprocess.on('error', () => {
    if (subprocess.exitCode === null && subprocess.pid === undefined) exit(null, null);
  });
  void subprocess.catch(() => undefined);
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
