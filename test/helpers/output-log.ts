// The output of a child process as events, with waits that end as soon as the answer is
// known: the line arrived, the process ended (no line can come any more), the time ran out,
// or the test ended. A failure shows the output as it was at that moment.
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describeMatch, matches, parseLine, renderEvent, type EventMatch, type LogEvent } from './log-events.js';

// How many of the last lines a failure message shows.
const TAIL = 40;

// Lines of output, parsed and rendered, growing as the process writes.
export class OutputLog {
  // Each line as printed.
  readonly raw: string[] = [];
  // Each line parsed (the same index as raw).
  readonly events: LogEvent[] = [];
  // Each line as the human format prints it (the same index as raw).
  readonly lines: string[] = [];
  private readonly wakers = new Set<() => void>();
  private endedBecause: string | null = null;

  constructor(private readonly name: string) {}

  // Reads every line of `stream` into the log.
  follow(stream: Readable): void {
    createInterface({ input: stream }).on('line', (line) => this.push(line));
  }

  push(line: string): void {
    const e = parseLine(line);
    this.raw.push(line);
    this.events.push(e);
    this.lines.push(renderEvent(e));
    for (const wake of this.wakers) wake();
  }

  // No more lines will come (the process ended and its output was read); pending waits fail.
  end(why: string): void {
    this.endedBecause = why;
    for (const wake of this.wakers) wake();
  }

  // The last lines, for failure messages.
  tail(): string {
    return this.lines.slice(-TAIL).join('\n');
  }

  // The first event matching `match` at index `after` or later.
  find(match: EventMatch, after = 0): LogEvent | undefined {
    return this.events.slice(after).find((e) => matches(e, match));
  }

  // How many events at index `after` or later match.
  count(match: EventMatch, after = 0): number {
    return this.events.slice(after).filter((e) => matches(e, match)).length;
  }

  // Waits for an event matching `match` at index `after` or later.
  waitForEvent(match: EventMatch, opts: { after?: number; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<LogEvent> {
    return this.waitUntil(describeMatch(match), () => this.find(match, opts.after), opts);
  }

  // Waits until `check` returns something other than undefined, re-checking at each line.
  waitUntil<T>(what: string, check: () => T | undefined, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 20_000;
    return new Promise<T>((resolve, reject) => {
      const fail = (why: string) => {
        done();
        reject(new Error(`${this.name}: ${why} while waiting for ${what}\n--- last ${TAIL} lines of output ---\n${this.tail()}\n---`));
      };
      const wake = () => {
        const found = check();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.endedBecause !== null) fail(this.endedBecause);
      };
      const onAbort = () => fail('the test ended');
      const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      this.wakers.add(wake);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) onAbort();
      else wake();
    });
  }
}
