// The master's end of a Node worker's IPC channel: a plain socketpair (one of the worker's
// stdio pipes) that the worker's Node runs its own IPC on (NODE_CHANNEL_FD), read here with
// our own bounded newline-delimited JSON framing instead of Node's, which buffers without
// limit. A message over the cap, malformed JSON or a `supervisor:*` message we cannot read
// means the worker is broken: the channel is closed and `broken` is called. Only our own
// messages reach the master, each kind at most as often as it means something.
import type { Duplex } from 'node:stream';
import { checkWorkerMessage, IPC_MAX_MESSAGE_BYTES, IPC_MAX_METRICS_REPLY_BYTES, type MasterToWorker, type WorkerToMaster } from '../protocol/ipc.js';

const LF = 0x0a;
// How long a metrics request allows a large answer.
const METRICS_ANSWER_MS = 10_000;
// Messages to a worker that does not read its channel are dropped past this many bytes.
const MAX_UNREAD_BYTES = 1024 * 1024;

// Node's own answer to a message that carried a handle.
const isHandleAck = (raw: unknown): raw is { cmd: 'NODE_HANDLE_ACK' | 'NODE_HANDLE_NACK' } =>
  typeof raw === 'object' && raw !== null && ((raw as { cmd?: unknown }).cmd === 'NODE_HANDLE_ACK' || (raw as { cmd?: unknown }).cmd === 'NODE_HANDLE_NACK');

// Where a channel's findings go.
export interface ChannelHooks {
  message(message: WorkerToMaster): void;
  broken(reason: string): void;
  // The worker's Node acknowledged (true) or refused (false) a handle a courier sent it.
  handleAck?(ok: boolean): void;
}

// The limits of one channel (the protocol's by default).
export interface ChannelLimits {
  readonly maxMessageBytes: number;
  readonly maxMetricsReplyBytes: number;
}

const DEFAULT_LIMITS: ChannelLimits = { maxMessageBytes: IPC_MAX_MESSAGE_BYTES, maxMetricsReplyBytes: IPC_MAX_METRICS_REPLY_BYTES };

// One worker's channel, seen from the master.
export class MasterChannel {
  private parts: Buffer[] = [];
  private size = 0;
  private closed = false;
  private saidHello = false;
  private saidReady = false;
  // Lines waiting while a courier writes on this socket (see hold()); null when not held.
  private held: string[] | null = null;
  private heldBytes = 0;
  // Metrics requests in flight: id -> when it was sent.
  private readonly asked = new Map<number, number>();

  constructor(
    private readonly socket: Duplex,
    private readonly hooks: ChannelHooks,
    private readonly limits: ChannelLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  // Sends one message; false when the channel is closed or the worker stopped reading it.
  send(message: MasterToWorker | string): boolean {
    if (this.closed || !this.socket.writable || this.unread() > MAX_UNREAD_BYTES) return false;
    if (typeof message === 'object' && message.type === 'supervisor:metrics-request') this.asked.set(message.id, this.now());
    const line = JSON.stringify(message) + '\n';
    if (this.held) {
      this.held.push(line);
      this.heldBytes += line.length;
    } else this.socket.write(line);
    return true;
  }

  // True when everything sent so far has left for the kernel (a courier may write next).
  flushed(): boolean {
    return this.held === null && this.socket.writableLength === 0;
  }

  // Queues what is sent until release(): another process (a courier) writes on this socket
  // meanwhile, and two writers must not interleave their bytes.
  hold(): void {
    this.held ??= [];
  }

  // Writes what was queued while held.
  release(): void {
    const lines = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    if (!this.closed && this.socket.writable) for (const line of lines) this.socket.write(line);
  }

  private unread(): number {
    return this.socket.writableLength + this.heldBytes;
  }

  // Closes the master's end; the worker sees its channel disconnect.
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.parts = [];
    this.size = 0;
    this.socket.destroy();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.close();
    this.hooks.broken(reason);
  }

  // The longest message allowed now: larger while a metrics request awaits its answer.
  private cap(): number {
    const since = this.now() - METRICS_ANSWER_MS;
    for (const [id, at] of this.asked) if (at < since) this.asked.delete(id);
    return this.asked.size > 0 ? this.limits.maxMetricsReplyBytes : this.limits.maxMessageBytes;
  }

  private read(chunk: Buffer): void {
    let start = 0;
    while (!this.closed && start < chunk.length) {
      const end = chunk.indexOf(LF, start);
      const stop = end < 0 ? chunk.length : end;
      const cap = this.cap();
      if (this.size + stop - start > cap) {
        this.fail(`IPC message longer than ${cap} bytes`);
        return;
      }
      if (end < 0) {
        this.parts.push(Buffer.from(chunk.subarray(start)));
        this.size += chunk.length - start;
        return;
      }
      const piece = chunk.subarray(start, end);
      const line = this.size === 0 ? piece : Buffer.concat([...this.parts, piece], this.size + piece.length);
      this.parts = [];
      this.size = 0;
      start = end + 1;
      this.take(line);
    }
  }

  private take(line: Buffer): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line.toString('utf8'));
    } catch {
      this.fail(`malformed IPC message (not JSON): ${JSON.stringify(line.subarray(0, 60).toString('utf8'))}${line.length > 60 ? '...' : ''}`);
      return;
    }
    if (isHandleAck(raw)) return this.hooks.handleAck?.(raw.cmd === 'NODE_HANDLE_ACK');
    const check = checkWorkerMessage(raw);
    if (!check.ok) return this.fail(check.reason);
    const message = check.message;
    if (message?.type !== 'supervisor:metrics' && line.length > this.limits.maxMessageBytes) {
      return this.fail(`IPC message longer than ${this.limits.maxMessageBytes} bytes`);
    }
    if (message === null) return; // the app's own traffic: nobody in the master reads it
    if (message.type === 'supervisor:hello') {
      if (this.saidHello) return;
      this.saidHello = true;
    } else if (message.type === 'supervisor:ready') {
      if (this.saidReady) return;
      this.saidReady = true;
    } else if (message.type === 'supervisor:metrics' && !this.asked.delete(message.id)) {
      return; // an answer nobody waits for (late, or never asked)
    }
    // supervisor:listen goes on: the cluster port bounds how many it serves.
    this.hooks.message(message);
  }
}
