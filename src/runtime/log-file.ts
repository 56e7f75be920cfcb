// One append-only log file that never blocks the master and never grows its memory: it is
// opened off the main thread (log-target.ts), holds at most CAP bytes not yet written, pauses
// the writers that offer it a flow while it is slow but moving (backpressure), and drops and
// counts lines once it is full, stalled (no byte written for STALL_MS) or failing, writing
// one line that says how many were dropped once it works again. It can be reopened (SIGUSR1,
// after logrotate moved it), rotated by size, and closed within a deadline.
import { closeSync, writeSync } from 'node:fs';
import { openLogTarget, type LogTarget } from './log-target.js';
import { rotateFiles } from './log-rotation.js';

// Bytes waiting above which writers are paused; below LOW_WATER they resume.
export const HIGH_WATER = 256 * 1024;
const LOW_WATER = 64 * 1024;
// Bytes waiting above which lines are dropped.
export const CAP = 4 * 1024 * 1024;
// A sink that wrote nothing for this long is stalled: writers resume and lines are dropped.
export const STALL_MS = 2_000;
// How long close() writes what is left before it gives up on it.
export const CLOSE_MS = 1_000;
const BATCH = 256 * 1024;
const TICK_MS = 250;
// A FIFO without a reader (ENXIO) or whose reader left (EPIPE) is tried again this often.
const RETRY_MS = 1_000;
const RETRYABLE = new Set(['ENXIO', 'EPIPE']);

// A source of lines that a slow file can pause (a worker's pipe).
export interface Pausable {
  // Pauses; returns the release.
  pause(): () => void;
}

// A log file the master writes lines to.
export interface LogFile {
  readonly path: string;
  // Queues one line; false when it was dropped. `flow` is paused while the file is slow.
  write(line: string, flow?: Pausable): boolean;
  // Rotates the file when it reaches `maxBytes` (null: never), keeping `keep` old files.
  rotateAt(maxBytes: number | null, keep: number): void;
  reopen(): void;
  // Writes what is queued for at most `deadlineMs`, then closes; the rest is dropped.
  close(deadlineMs?: number): Promise<void>;
}

// What a log file reports.
export interface LogFileOptions {
  // The line written where lines were dropped, once the file works again.
  readonly marker?: (dropped: number, why: string) => string;
  // Called for every line dropped (`count` at once when a failure loses what was queued).
  readonly onDropped?: (count: number) => void;
  // Never open it through a symbolic link (files in the home: a link there was planted).
  readonly noFollow?: boolean;
}

const defaultMarker = (dropped: number, why: string) => `[supervisor] ${dropped} line(s) dropped here: ${why}`;
const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

class BoundedLogFile implements LogFile {
  private target: LogTarget | null = null;
  private phase: 'opening' | 'open' | 'failed' | 'closed' = 'opening';
  private busy = false;
  private wantReopen = false;
  private queue: string[] = [];
  private head = 0;
  private queued = 0;
  private inFlight = 0;
  private inFlightLines = 0;
  private size = 0;
  private maxBytes: number | null = null;
  private keep = 1;
  private rotationFailed = false;
  private dropped = 0;
  private droppedWhy = '';
  private failedWhy = '';
  private retryable = false;
  private lastAttempt = 0;
  private reported = false;
  private stalled = false;
  private lastProgress = 0;
  private lastProgressAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly holds = new Map<Pausable, () => void>();
  private closing: Promise<void> | null = null;
  private finishClose: () => void = () => undefined;

  constructor(readonly path: string, private readonly onProblem: (message: string) => void, private readonly opts: LogFileOptions) {
    this.open();
  }

  write(line: string, flow?: Pausable): boolean {
    if (this.phase === 'closed' || this.closing) return false;
    if (this.phase === 'failed') {
      this.retry();
      return this.drop(this.failedWhy);
    }
    if (this.pending() + line.length + 1 > CAP) return this.drop(this.stalled ? `the log sink stalled (nothing written for ${STALL_MS / 1000} s)` : 'the log sink did not keep up');
    if (this.dropped > 0) {
      this.enqueue((this.opts.marker ?? defaultMarker)(this.dropped, this.droppedWhy));
      this.dropped = 0;
    }
    this.enqueue(line);
    if (flow && !this.stalled && this.pending() > HIGH_WATER && !this.holds.has(flow)) {
      this.holds.set(flow, flow.pause());
      this.watch();
    }
    this.pump();
    return true;
  }

  rotateAt(maxBytes: number | null, keep: number): void {
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  reopen(): void {
    if (this.phase === 'closed' || this.closing) return;
    this.rotationFailed = false;
    this.wantReopen = true;
    this.pump();
  }

  close(deadlineMs = CLOSE_MS): Promise<void> {
    if (this.phase === 'closed') return Promise.resolve();
    this.closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.finishClose(), deadlineMs);
      this.finishClose = () => {
        clearTimeout(timer);
        this.shutDown();
        resolve();
      };
      this.wantReopen = false;
      if (this.phase === 'failed' || (!this.busy && this.pending() === 0)) this.finishClose();
      else this.pump();
    });
    return this.closing;
  }

  private pending(): number {
    return this.queued + this.inFlight;
  }

  // Queues one line (its newline is added when the batch is joined).
  private enqueue(line: string): void {
    if (this.pending() === 0) this.lastProgressAt = Date.now();
    this.queue.push(line);
    this.queued += line.length + 1;
    this.watch();
  }

  private drop(why: string): false {
    this.dropped++;
    this.droppedWhy = why;
    this.opts.onDropped?.(1);
    return false;
  }

  private problem(what: string, error: unknown): void {
    if (this.reported) return;
    this.reported = true;
    const code = codeOf(error);
    const until = RETRYABLE.has(code) ? 'until a reader appears (tried again every second)' : 'until it can be reopened (SIGUSR1)';
    this.onProblem(`log file ${this.path}: ${what}: ${code}${code === 'ENXIO' ? ' (a FIFO with no reader)' : code === 'ELOOP' ? ' (a symbolic link, not followed in the home)' : ''}; its lines are dropped ${until}`);
  }

  private open(): void {
    this.phase = 'opening';
    this.busy = true;
    this.lastAttempt = Date.now();
    openLogTarget(this.path, this.opts.noFollow ?? false).then(
      (target) => {
        this.busy = false;
        if (this.phase === 'closed') return target.close();
        this.target = target;
        this.size = target.initialSize;
        this.lastProgress = target.progress();
        this.phase = 'open';
        this.pump();
      },
      (error: unknown) => {
        this.busy = false;
        if (this.phase !== 'closed') this.fail('cannot open', error);
      },
    );
  }

  // A FIFO without a reader is opened again now and then, as lines keep coming.
  private retry(): void {
    if (this.retryable && !this.busy && Date.now() - this.lastAttempt >= RETRY_MS) this.open();
  }

  private fail(what: 'cannot open' | 'cannot write', error: unknown): void {
    this.target?.close();
    this.target = null;
    this.phase = 'failed';
    const code = codeOf(error);
    this.retryable = RETRYABLE.has(code);
    this.failedWhy = `the log file ${what === 'cannot open' ? 'could not be opened' : 'could not be written'} (${code})`;
    const lost = this.queue.length - this.head + this.inFlightLines;
    this.clearQueue();
    if (lost > 0) {
      this.dropped += lost;
      this.droppedWhy = this.failedWhy;
      this.opts.onDropped?.(lost);
    }
    this.releaseHolds();
    this.problem(what, error);
    if (this.closing) this.finishClose();
    else this.pump();
  }

  // Starts the next step when none is running: a reopen, a rotation, or a batch of lines.
  private pump(): void {
    if (this.busy || this.phase === 'closed') return;
    if (this.wantReopen) {
      this.wantReopen = false;
      this.target?.close();
      this.target = null;
      this.open();
      return;
    }
    if (this.phase !== 'open') return;
    if (this.maxBytes !== null && !this.rotationFailed && this.target!.regular && this.size >= this.maxBytes) return this.rotate();
    if (this.head === this.queue.length) {
      if (this.closing) this.finishClose();
      return;
    }
    // A batch ends at the rotation size too, so a rotated file holds about max_log_size.
    const limit = this.maxBytes === null || !this.target!.regular ? BATCH : Math.min(BATCH, this.maxBytes - this.size);
    let end = this.head;
    let bytes = 0;
    do bytes += this.queue[end++]!.length + 1;
    while (end < this.queue.length && bytes + this.queue[end]!.length + 1 <= limit);
    const batch = Buffer.from(this.queue.slice(this.head, end).join('\n') + '\n');
    this.inFlightLines = end - this.head;
    this.head = end;
    this.queued -= bytes;
    this.inFlight = bytes;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.busy = true;
    this.target!.write(batch, (error) => {
      this.busy = false;
      this.inFlight = 0;
      this.inFlightLines = 0;
      if (this.phase === 'closed') return;
      if (error) return this.fail('cannot write', error);
      this.size += batch.length;
      this.reported = false;
      this.progressed();
      if (this.pending() < LOW_WATER) this.releaseHolds();
      this.pump();
    });
  }

  private rotate(): void {
    this.busy = true;
    this.target?.close();
    this.target = null;
    this.phase = 'opening';
    rotateFiles(this.path, this.keep)
      .catch((error: unknown) => {
        this.rotationFailed = true;
        this.onProblem(`log file ${this.path}: cannot rotate: ${codeOf(error)}; it keeps growing until it is reopened (SIGUSR1)`);
      })
      .finally(() => {
        this.busy = false;
        if (this.phase !== 'closed') this.open();
      });
  }

  private progressed(): void {
    this.lastProgressAt = Date.now();
    this.stalled = false;
  }

  private releaseHolds(): void {
    for (const release of this.holds.values()) release();
    this.holds.clear();
  }

  // While lines wait or writers are paused, checks every TICK_MS that the sink still moves.
  private watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const progress = this.target?.progress() ?? this.lastProgress;
      if (progress !== this.lastProgress) {
        this.lastProgress = progress;
        this.progressed();
      } else if (this.pending() > 0 && !this.stalled && Date.now() - this.lastProgressAt > STALL_MS) {
        this.stalled = true;
        this.releaseHolds();
      }
      if (this.pending() === 0 && this.holds.size === 0) this.unwatch();
    }, TICK_MS);
    this.timer.unref();
  }

  private unwatch(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private clearQueue(): void {
    this.queue = [];
    this.head = 0;
    this.queued = 0;
    this.inFlight = 0;
    this.inFlightLines = 0;
  }

  private shutDown(): void {
    const lost = this.queue.length - this.head + this.inFlightLines;
    this.phase = 'closed';
    this.unwatch();
    this.releaseHolds();
    this.target?.close();
    this.target = null;
    this.clearQueue();
    if (lost > 0) {
      this.opts.onDropped?.(lost);
      this.onProblem(`log file ${this.path}: ${lost} line(s) not written at close: the log sink did not take them within ${CLOSE_MS / 1000} s`);
    }
  }
}

// Opens `file` for appending; `onProblem` gets one message per run of failures.
export function openLogFile(file: string, onProblem: (message: string) => void, opts: LogFileOptions = {}): LogFile {
  return new BoundedLogFile(file, onProblem, opts);
}

// Closes a raw fd, ignoring errors (used by the launcher after handing the fd to the daemon).
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

// Writes to a raw fd, ignoring errors (a problem report to a log that may itself be failing).
export function writeQuietly(fd: number, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // nowhere left to report it
  }
}
