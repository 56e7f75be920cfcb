// Splits a worker's byte stream into lines with a bounded length, whatever it writes: a line
// longer than the limit is cut there (marked truncated) and the rest of it, up to the next
// line break, is discarded, so the memory held per stream never exceeds the limit. Line
// breaks are \n, \r\n and a lone \r (as readline). Invalid UTF-8 becomes U+FFFD, and control
// characters (terminal escapes, NULs) are shown as \xNN so they never reach a terminal raw.

const LF = 0x0a;
const CR = 0x0d;

// Receives one line; `truncated` when it was longer than the limit and only its start is kept.
export type LineSink = (text: string, truncated: boolean) => void;

// Shown after a line that was cut, in text logs (JSON lines say `truncated: true`).
export const TRUNCATED_MARK = ' [truncated]';

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const escapeControl = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

// A line's text, safe to print on a terminal: control characters (except tab) as \xNN.
export function printable(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escapeControl) : text;
}

// The largest cut at or before `at` that does not split a UTF-8 sequence of `chunk`.
function charBoundary(chunk: Buffer, from: number, at: number): number {
  let cut = at;
  while (cut > from && cut < chunk.length && (chunk[cut]! & 0xc0) === 0x80 && at - cut < 3) cut--;
  return cut;
}

// Feeds chunks in, gets bounded lines out.
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;
  private skipLf = false;

  constructor(private readonly maxBytes: number, private readonly emit: LineSink) {}

  // Splits one chunk (which may be reused once this returns); complete lines are emitted at once.
  push(chunk: Buffer): void {
    let start = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (chunk[0] === LF) start = 1;
    }
    // The next \n and \r at or after `start`, each searched again only once passed.
    let lf = chunk.indexOf(LF, start);
    let cr = chunk.indexOf(CR, start);
    while (start < chunk.length) {
      if (lf >= 0 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr >= 0 && cr < start) cr = chunk.indexOf(CR, start);
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(lf, cr);
      if (end < 0) {
        this.append(chunk, start, chunk.length, true);
        return;
      }
      if (this.size === 0 && !this.discarding && end - start <= this.maxBytes) {
        this.emit(printable(chunk.toString('utf8', start, end)), false); // the common case: a whole line in one chunk
      } else {
        this.append(chunk, start, end, false);
        this.endLine();
      }
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.skipLf = true;
        else if (chunk[start] === LF) start++;
      }
    }
  }

  // The stream ended: a last line without a line break is emitted too.
  end(): void {
    if (this.size > 0 && !this.discarding) this.flush(false);
    this.parts = [];
    this.size = 0;
    this.discarding = false;
  }

  private append(chunk: Buffer, from: number, to: number, keep: boolean): void {
    if (this.discarding || to === from) return;
    const room = this.maxBytes - this.size;
    if (to - from <= room) {
      // A partial line outlives this chunk: copy it, so it does not pin the chunk's memory.
      this.parts.push(keep ? Buffer.from(chunk.subarray(from, to)) : chunk.subarray(from, to));
      this.size += to - from;
      return;
    }
    const cut = charBoundary(chunk, from, from + room);
    this.parts.push(chunk.subarray(from, cut));
    this.size += cut - from;
    this.flush(true);
    this.discarding = true;
  }

  private endLine(): void {
    if (this.discarding) this.discarding = false; // its start was emitted when it was cut
    else this.flush(false);
  }

  private flush(truncated: boolean): void {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.emit(printable(bytes.toString('utf8')), truncated);
  }
}
