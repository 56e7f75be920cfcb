// The real worker process: spawned with execa, with an IPC channel for Node workers, a
// stdin pipe from the master, a readiness fd, inherited listening sockets, and line-split
// stdout/stderr.
import { execa, type Options } from 'execa';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { SpawnRequest, WorkerCallbacks, WorkerHandle } from '../master/effects.js';
import { ENV_READY_FD, workerEnv } from './worker-env.js';
import { wrappedCommand } from './command.js';

// What the spawner needs from the rest of the master: the fds of an app's bound sockets.
export interface SpawnContext {
  listenFds(app: string): { fds: readonly number[]; names: readonly string[] };
  uidGid(spec: SpawnRequest['spec']): { uid?: number; gid?: number };
}

function lines(stream: Readable | null | undefined, emit: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', emit);
}

// Spawns one worker and wires its events to `cb`.
export function spawnWorkerProcess(req: SpawnRequest, cb: WorkerCallbacks, ctx: SpawnContext): WorkerHandle {
  const { spec } = req;
  const listen = ctx.listenFds(spec.name);
  const readyFd = 3 + listen.fds.length;
  const extra: Record<string, string> = { [ENV_READY_FD]: String(readyFd) };
  if (listen.fds.length > 0) {
    extra.LISTEN_FDS = String(listen.fds.length);
    extra.LISTEN_FDNAMES = listen.names.join(':');
  }
  const cmd = wrappedCommand(spec, listen.fds.length > 0);
  const stdio = ['pipe', 'pipe', 'pipe', ...listen.fds, 'pipe'] as Options['stdio'];
  const options: Options = {
    cwd: spec.cwd,
    env: workerEnv(process.env, spec, req.slot, req.generation, extra),
    extendEnv: false,
    stdio,
    ipc: spec.ipc,
    serialization: 'json',
    detached: true,
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    ...ctx.uidGid(spec),
  };
  const subprocess = execa(cmd.file, [...cmd.args], options);
  let exited = false;
  const exit = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    // A grandchild may still hold the worker's pipes; keep reading them, but never let
    // them keep the master alive.
    for (const stream of subprocess.stdio) (stream as { unref?: () => void } | null)?.unref?.();
    cb.exit(code, signal);
  };
  subprocess.on('exit', (code, signal) => exit(code, signal));
  subprocess.on('error', () => {
    if (subprocess.exitCode === null && subprocess.pid === undefined) exit(null, null);
  });
  void subprocess.catch(() => undefined);
  lines(subprocess.stdout, (line) => cb.output('stdout', line));
  lines(subprocess.stderr, (line) => cb.output('stderr', line));
  subprocess.stdin?.on('error', () => undefined);
  const ready = subprocess.stdio[readyFd] as Readable | undefined;
  if (ready) {
    let told = false;
    ready.on('data', (chunk: Buffer) => {
      if (!told && chunk.includes(10)) {
        told = true;
        cb.readyFd();
      }
    });
    ready.on('error', () => undefined);
  }
  if (spec.ipc) subprocess.on('message', (raw: unknown) => cb.message(raw));
  const pid = subprocess.pid ?? null;
  return {
    pid,
    send(message) {
      if (!spec.ipc || exited || !subprocess.connected) return;
      subprocess.sendMessage?.(message as never).catch(() => undefined);
    },
    signal(signal) {
      if (pid === null || exited) return;
      try {
        process.kill(spec.kill_group ? -pid : pid, signal);
      } catch {
        // already gone
      }
    },
  };
}
