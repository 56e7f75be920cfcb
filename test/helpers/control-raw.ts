// Clients of the control socket that misbehave on purpose: they hang up without reading,
// send one endless line, or connect and say nothing. For the master-input scenarios.
import net from 'node:net';
import { readdirSync, readlinkSync } from 'node:fs';
import { spawnInTest } from './spawn.js';
import { testSignal } from './harness.js';

// How many fds a process holds, or null when it is gone. Files under /proc are left out: the
// master's resource sampler opens and closes them all the time.
export function fdCount(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return !readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('/proc/');
      } catch {
        return false;
      }
    }).length;
  } catch {
    return null;
  }
}

// Runs python3 to connect, send `line`, wait `waitMs` and close without reading (as a client
// that gave up); resolves with its exit code.
export function hangUpAfterSending(sock: string, line: string, waitMs: number): Promise<number | null> {
  const script = 'import socket,sys,time\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ns.sendall(sys.argv[2].encode()+b"\\n")\ntime.sleep(float(sys.argv[3]))\ns.close()';
  return new Promise((resolve) => {
    const child = spawnInTest('python3', ['-c', script, sock, line, String(waitMs / 1000)], { stdio: 'ignore' });
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code));
  });
}

// What a client sending one long line got: how much the master took before it closed, and
// the lines it answered with.
export interface LongLineResult { readonly written: number; readonly replies: string[]; readonly closedByMaster: boolean }

// Sends `bytes` of "x" without a newline, 1 MB per write, waiting for each write to drain;
// stops at the first error or close. Resolves once the socket is closed.
export function sendLongLine(sock: string, bytes: number): Promise<LongLineResult> {
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  const ended = testSignal();
  return new Promise((resolve) => {
    const s = net.connect(sock);
    let written = 0;
    let text = '';
    let closedByMaster = false;
    let done = false;
    s.on('data', (d) => (text += d.toString()));
    s.on('error', () => (closedByMaster = true));
    s.on('end', () => (closedByMaster = true));
    s.once('close', () => resolve({ written, replies: text.split('\n').filter(Boolean), closedByMaster }));
    const pump = () => {
      while (!done && !s.destroyed && written < bytes && !ended.aborted) {
        const n = Math.min(chunk.length, bytes - written);
        written += n;
        if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
      }
      if (!done) {
        done = true;
        // Give the master a moment to answer, then hang up.
        setTimeout(() => s.destroy(), 500).unref();
      }
    };
    s.once('connect', pump);
  });
}

// Opens `n` connections that never send anything; resolves with them once each is connected
// or failed. `closedByMaster` counts those the master closed since.
export async function idleConnections(sock: string, n: number): Promise<{ sockets: net.Socket[]; closedByMaster: () => number; close: () => void }> {
  const sockets: net.Socket[] = [];
  let closed = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve) => {
    const s = net.connect(sock);
    s.on('error', () => undefined);
    s.once('connect', () => {
      sockets.push(s);
      resolve();
    });
    s.once('close', () => {
      if (!sockets.includes(s)) failed++;
      else closed++;
      resolve();
    });
  })));
  return { sockets, closedByMaster: () => closed + failed, close: () => sockets.forEach((s) => s.destroy()) };
}
