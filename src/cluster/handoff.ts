// Hands a listening socket to a running worker. The master's end of a worker's channel is read
// with our own framing and cannot pass fds (docs/protocols.md); a one-shot courier process
// (courier.ts) can: it gets that end as fd 3 and the socket as fd 4, and sends the socket with
// Node's own handle protocol. Meanwhile the master holds its own writes to the worker, so the
// two writers never interleave, and the worker's Node answers with NODE_HANDLE_ACK, which the
// master reads as delivery. Every step has a deadline: a handoff that does not complete fails,
// and the master never waits on a worker or a courier.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../master/deadline.js';
import type { ListenHandleMessage } from '../protocol/ipc.js';

// How long the worker may leave earlier messages unread before a handoff gives up.
export const FLUSH_DEADLINE_MS = 5_000;
// How long the courier may take to start and send.
export const COURIER_DEADLINE_MS = 10_000;
// How long the worker's Node may take to acknowledge the socket once sent.
export const ACK_DEADLINE_MS = 10_000;
// Couriers running at once in one master; more handoffs wait their turn.
export const MAX_COURIERS = 4;

const COURIER = fileURLToPath(new URL('./courier.js', import.meta.url));

// The worker's side of a handoff: the master's end of its channel, and the channel's writes.
export interface HandoffLink {
  readonly socket: Socket;
  // True when the master's earlier writes have left for the kernel.
  flushed(): boolean;
  hold(): void;
  release(): void;
}

// A handoff's result: delivered, or why not.
export type HandoffResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

let running = 0;
const turns: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (running >= MAX_COURIERS) await new Promise<void>((resolve) => turns.push(resolve));
  running++;
  return () => {
    running--;
    turns.shift()?.();
  };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() >= end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

// Runs one courier; null once it sent, else what went wrong.
function runCourier(socket: Socket, fd: number, message: ListenHandleMessage): Promise<string | null> {
  let child: ChildProcess | undefined;
  const done = new Promise<string | null>((resolve) => {
    try {
      child = spawn(process.execPath, [COURIER, JSON.stringify(message)], {
        stdio: ['ignore', 'ignore', 'pipe', socket, fd],
        env: { NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'json' },
      });
    } catch (error) {
      resolve(`the courier did not start: ${(error as Error).message}`);
      return;
    } finally {
      // spawn() stops reading a stream it shares with a child; the master reads this one.
      socket.resume();
    }
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2048)));
    child.stderr!.on('error', () => undefined);
    child.once('error', (error) => resolve(`the courier did not start: ${error.message}`));
    child.once('close', (code, signal) => resolve(code === 0 ? null : stderr.trim() || `the courier exited with ${signal ?? `code ${code}`}`));
  });
  return withDeadline(done, COURIER_DEADLINE_MS, () => {
    child?.kill('SIGKILL');
    return `the courier did not send within ${COURIER_DEADLINE_MS} ms`;
  });
}

// Sends `message` with the listening socket `fd` to the worker behind `link`; `acked` resolves
// with the worker's NODE_HANDLE_ACK (true) or NACK (false) for it.
export async function handOff(link: HandoffLink, fd: number, message: ListenHandleMessage, acked: Promise<boolean>): Promise<HandoffResult> {
  const done = await turn();
  try {
    if (!(await until(() => link.flushed(), FLUSH_DEADLINE_MS))) return { ok: false, reason: `the worker left its IPC channel unread for ${FLUSH_DEADLINE_MS} ms` };
    link.hold();
    let sent: string | null;
    try {
      sent = await runCourier(link.socket, fd, message);
    } finally {
      link.release();
    }
    if (sent !== null) return { ok: false, reason: sent };
    const answer = await withDeadline<boolean | null>(acked, ACK_DEADLINE_MS, () => null);
    if (answer === null) return { ok: false, reason: `the worker did not acknowledge the socket within ${ACK_DEADLINE_MS} ms` };
    return answer ? { ok: true } : { ok: false, reason: 'the worker refused the socket (NODE_HANDLE_NACK)' };
  } finally {
    done();
  }
}
