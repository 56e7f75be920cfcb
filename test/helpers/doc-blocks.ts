// Runnable examples in Markdown. A fenced block whose info string has the word `test` is
// part of its document's script, run in order in one temp dir:
//   ```json test file=ecosystem.json   written to that file (any language)
//   ```sh test                         run with bash -eu -o pipefail (`exit=N`: expected status)
//   ```js test                         run with node as an ES module
// Blocks without `test` are prose and never run.
import { readFileSync } from 'node:fs';

// One runnable or written block, with where it sits for error messages.
export interface DocBlock {
  readonly doc: string;
  readonly line: number;
  readonly lang: string;
  readonly file: string | null;
  readonly exit: number;
  readonly code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

// Extracts the test blocks of a Markdown file, in order (`marker`: the info-string word that
// marks them; the README's tutorial uses `tutorial`, run by readme-tutorial.test.ts).
export function docBlocks(doc: string, text = readFileSync(doc, 'utf8'), marker = 'test'): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open as unknown as [string, string, string, string, string];
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence) && l.trim().replace(/[`~]/g, '') === '');
    const close = end === -1 ? lines.length : end;
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.includes(marker)) {
      const attr = (name: string) => words.find((w) => w.startsWith(`${name}=`))?.slice(name.length + 1) ?? null;
      const code = lines.slice(i + 1, close).map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l)).join('\n') + '\n';
      blocks.push({ doc, line: i + 1, lang, file: attr('file'), exit: Number(attr('exit') ?? 0), code });
    }
    i = close;
  }
  return blocks;
}
