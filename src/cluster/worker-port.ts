// One cluster-mode worker's listen requests, served by the master one at a time: check the
// request against the app's rights, get the socket from the listener registry (bound now or
// shared), and hand it over with a courier (handoff.ts). Whatever the worker sends, it gets at
// most MAX_QUEUED_REQUESTS waiting and MAX_REQUESTS_PER_WORKER in its life; every other request
// gets an error, and every request gets exactly one answer.
import type { AppSpec } from '../config/types.js';
import { IPC_VERSION, type ClusterAddress, type ListenRequestMessage, type MasterToWorker } from '../protocol/ipc.js';
import { addressText } from './addresses.js';
import type { Acquired } from './cluster-sockets.js';
import { handOff, type HandoffLink } from './handoff.js';

// Requests one worker may have waiting.
export const MAX_QUEUED_REQUESTS = 8;
// Requests one worker may make in its life (a listen() that closes and listens again asks anew).
export const MAX_REQUESTS_PER_WORKER = 64;

// Where sockets come from (the master's ListenerRegistry).
export interface ClusterBinder {
  acquire(app: string, address: ClusterAddress): Promise<Acquired>;
}

// What became of one request, for the master's log.
export interface ListenReport {
  readonly address: string;
  // bound: the master bound it for this request; shared: it held it already; failed: see error.
  readonly outcome: 'bound' | 'shared' | 'failed';
  readonly port: number | null;
  readonly error?: string;
}

// What a port needs from the worker's spawner.
export interface PortDeps {
  readonly spec: AppSpec;
  readonly binder: ClusterBinder;
  readonly link: HandoffLink;
  send(message: MasterToWorker): void;
  report(report: ListenReport): void;
}

// Why a worker that runs as another user may not have the master (root) bind this, or null.
function privilegeProblem(spec: AppSpec, a: ClusterAddress): string | null {
  if (spec.uid === null && spec.gid === null) return null;
  if (a.kind === 'unix') return `listen ${addressText(a)}: app "${spec.name}" runs as another user (uid/gid), so the master does not create socket files for it; set "listen" instead`;
  if (a.port > 0 && a.port < 1024) return `listen ${addressText(a)}: app "${spec.name}" runs as another user (uid/gid), so the master does not bind ports below 1024 for it; set "listen" instead`;
  return null;
}

// The master's side of one worker's listen requests.
export class ClusterPort {
  private readonly queue: ListenRequestMessage[] = [];
  private busy = false;
  private closed = false;
  private asked = 0;
  private ack: ((ok: boolean) => void) | null = null;

  constructor(private readonly deps: PortDeps) {}

  // A supervisor:listen message from the worker.
  request(message: ListenRequestMessage): void {
    if (this.closed) return;
    if (++this.asked > MAX_REQUESTS_PER_WORKER) return this.refuse(message, 'EMFILE', `listen ${addressText(message.address)}: this worker already asked for ${MAX_REQUESTS_PER_WORKER} sockets, the most one worker may`);
    if (this.queue.length >= MAX_QUEUED_REQUESTS) return this.refuse(message, 'EAGAIN', `listen ${addressText(message.address)}: this worker has ${MAX_QUEUED_REQUESTS} listen requests waiting already`);
    this.queue.push(message);
    void this.pump();
  }

  // The worker's Node acknowledged (true) or refused (false) the handle a courier sent it.
  handleAck(ok: boolean): void {
    const answer = this.ack;
    this.ack = null;
    answer?.(ok);
  }

  // The worker is gone: nothing more is served.
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.handleAck(false);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const m = this.queue.shift()!;
        // Every request gets one answer, whatever goes wrong while serving it.
        await this.serve(m).catch((error: Error) => this.refuse(m, 'EIO', `listen ${addressText(m.address)}: ${error.message}`));
      }
    } finally {
      this.busy = false;
    }
  }

  private async serve(m: ListenRequestMessage): Promise<void> {
    const { spec, binder, link } = this.deps;
    const text = addressText(m.address);
    const problem = privilegeProblem(spec, m.address);
    if (problem) return this.refuse(m, 'EACCES', problem);
    let got: Acquired;
    try {
      got = await binder.acquire(spec.name, m.address);
    } catch (error) {
      return this.refuse(m, (error as { code?: string }).code ?? 'EADDRNOTAVAIL', (error as Error).message);
    }
    if (this.closed) return;
    const acked = new Promise<boolean>((resolve) => (this.ack = resolve));
    const result = await handOff(link, got.socket.fd, { type: 'supervisor:listen-handle', v: IPC_VERSION, id: m.id }, acked);
    this.ack = null;
    if (this.closed) return;
    if (!result.ok) return this.refuse(m, 'ETIMEDOUT', `listen ${text}: the master could not hand the socket over: ${result.reason}`);
    this.deps.report({ address: text, outcome: got.fresh ? 'bound' : 'shared', port: got.socket.port });
  }

  private refuse(m: ListenRequestMessage, code: string, message: string): void {
    this.deps.send({ type: 'supervisor:listen-error', v: IPC_VERSION, id: m.id, code, message });
    this.deps.report({ address: addressText(m.address), outcome: 'failed', port: m.address.kind === 'tcp' ? m.address.port : null, error: message });
  }
}
