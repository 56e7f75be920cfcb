// The last lines a worker wrote on stderr, so that a failed start can say why without sending
// the user to a file: at most TAIL_LINES lines of at most TAIL_LINE_CHARS characters each (a
// few KB per worker, whatever it prints). A run of stack frames ("    at f (file:1:2)") keeps
// its first frame and counts the others, so the error above a long trace is not pushed out.

// How many lines are kept.
export const TAIL_LINES = 20;
// How much of one line is kept.
export const TAIL_LINE_CHARS = 300;

const FRAME = /^\s+at\s/;

interface Entry { readonly text: string; folded: number }

// One worker's stderr tail.
export class StderrTail {
  private readonly entries: Entry[] = [];

  // Records one line of stderr.
  push(line: string): void {
    if (line.trim() === '') return;
    const text = line.length > TAIL_LINE_CHARS ? `${line.slice(0, TAIL_LINE_CHARS)}...` : line;
    const last = this.entries[this.entries.length - 1];
    if (last && FRAME.test(text) && FRAME.test(last.text)) {
      last.folded++;
      return;
    }
    this.entries.push({ text, folded: 0 });
    if (this.entries.length > TAIL_LINES) this.entries.shift();
  }

  // The kept lines, oldest first; a folded run of frames says how many it hides.
  lines(): string[] {
    return this.entries.map((e) => (e.folded > 0 ? `${e.text} (+${e.folded} more frames)` : e.text));
  }
}
