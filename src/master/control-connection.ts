// One client of the control socket, with every input bounded: a request line is at most
// MAX_REQUEST_BYTES (a longer one is answered E_TOO_LARGE and the connection closed, having
// held no more than the cap); at most a few requests run at once (then reading pauses, so a
// client cannot queue work faster than it is done); answers a client does not read are capped;
// a connection with nothing to do is closed after an idle deadline. Errors on the socket (a
// client that hung up: ECONNRESET, EPIPE) only close it.
import type net from 'node:net';
import { CONTROL_VERSION, encodeLine, type ControlReply } from '../protocol/control.js';

const LF = 0x0a;

// The bounds of one connection.
export interface ConnectionLimits {
  readonly maxLineBytes: number;
  readonly maxInFlight: number;
  // Answers queued for a client that does not read; past this the connection is closed.
  readonly maxUnreadBytes: number;
  readonly idleMs: number;
}

// Runs one request line; `reply` writes a line back (dropped once the connection is gone).
export type LineRunner = (line: string, reply: (message: ControlReply) => void) => Promise<void>;

// A client connection of the control server.
export class ControlConnection {
  private parts: Buffer[] = [];
  private size = 0;
  private readonly queue: string[] = [];
  private inFlight = 0;
  private clientEnded = false;
  private refused = false;
  private readonly idleTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: net.Socket,
    private readonly run: LineRunner,
    private readonly limits: ConnectionLimits,
    onClose: () => void,
  ) {
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      clearTimeout(this.idleTimer);
      this.parts = [];
      this.queue.length = 0;
      onClose();
    });
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('end', () => {
      this.clientEnded = true;
      if (this.size > 0) this.endLine(); // a last request without its newline still counts
      this.pump();
    });
    this.idleTimer = setTimeout(() => this.closeIfIdle(), limits.idleMs);
    this.idleTimer.unref();
  }

  // True when the connection waits for nothing: no request running or queued.
  get idle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0;
  }

  // Closes the connection at once.
  close(): void {
    this.socket.destroy();
  }

  // Refuses the connection with one answer, then closes it.
  refuse(code: 'E_BUSY' | 'E_TOO_LARGE', message: string): void {
    if (this.refused) return;
    this.refused = true;
    this.parts = [];
    this.size = 0;
    this.queue.length = 0;
    this.socket.pause();
    this.socket.removeAllListeners('data');
    this.write({ v: CONTROL_VERSION, id: 0, ok: false, code, message });
    this.socket.end();
    // A client that keeps writing and never reads would hold the socket open: close it anyway.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private read(chunk: Buffer): void {
    this.idleTimer.refresh();
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0 && !this.refused; lf = chunk.indexOf(LF, start)) {
      if (!this.append(chunk, start, lf)) return;
      this.endLine();
      start = lf + 1;
    }
    if (start < chunk.length && !this.refused && this.append(chunk, start, chunk.length)) {
      // A partial line outlives this chunk: copy it, so it does not pin the chunk's memory.
      this.parts[this.parts.length - 1] = Buffer.from(this.parts[this.parts.length - 1]!);
    }
    this.pump();
  }

  // Adds bytes to the current line; false (and the connection refused) past the cap.
  private append(chunk: Buffer, from: number, to: number): boolean {
    if (to === from) return true;
    if (this.size + (to - from) > this.limits.maxLineBytes) {
      this.refuse('E_TOO_LARGE', `a request line may be at most ${this.limits.maxLineBytes} bytes; closing the connection`);
      return false;
    }
    this.parts.push(chunk.subarray(from, to));
    this.size += to - from;
    return true;
  }

  private endLine(): void {
    const line = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    if (line.trim() !== '') this.queue.push(line);
  }

  // Starts queued requests up to the in-flight limit; reads more only when there is room.
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.limits.maxInFlight && !this.socket.destroyed) {
      const line = this.queue.shift()!;
      this.inFlight++;
      void this.run(line, (message) => this.write(message)).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.refused || this.socket.destroyed) return;
    if (this.queue.length > 0 || this.inFlight >= this.limits.maxInFlight) this.socket.pause();
    else this.socket.resume();
    if (this.idle) {
      if (this.clientEnded) this.socket.end();
      else this.idleTimer.refresh();
    }
  }

  private write(message: ControlReply): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    // The answers before this one were not read: the client is stuck or gone.
    if (this.socket.writableLength > this.limits.maxUnreadBytes) return void this.socket.destroy();
    this.socket.write(encodeLine(message));
  }

  private closeIfIdle(): void {
    if (this.idle) this.socket.destroy();
    else this.idleTimer.refresh();
  }
}
