// Where a JSON text stops being JSON, found without echoing any of it: V8's messages quote
// the start of the text ("Unexpected token 'h', "hello wor"... is not valid JSON"), and a
// config error must never show the bytes of a file that may not be a config at all.

interface Cursor { readonly text: string; i: number }

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function skipSpace(c: Cursor): void {
  while (c.i < c.text.length && ' \t\n\r'.includes(c.text[c.i]!)) c.i++;
}

function string(c: Cursor): boolean {
  c.i++;
  while (c.i < c.text.length) {
    const ch = c.text[c.i]!;
    if (ch === '"') return c.i++, true;
    if (ch < ' ') return false;
    if (ch === '\\') {
      const esc = c.text[c.i + 1];
      if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(c.text.slice(c.i + 2, c.i + 6))) c.i += 6;
      else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) c.i += 2;
      else return c.i++, false;
      continue;
    }
    c.i++;
  }
  return false;
}

function members(c: Cursor, close: '}' | ']', depth: number): boolean {
  c.i++;
  skipSpace(c);
  if (c.text[c.i] === close) return c.i++, true;
  for (;;) {
    if (close === '}') {
      if (c.text[c.i] !== '"' || !string(c)) return false;
      skipSpace(c);
      if (c.text[c.i] !== ':') return false;
      c.i++;
    }
    if (!value(c, depth + 1)) return false;
    skipSpace(c);
    if (c.text[c.i] === close) return c.i++, true;
    if (c.text[c.i] !== ',') return false;
    c.i++;
    skipSpace(c);
  }
}

function value(c: Cursor, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  skipSpace(c);
  const ch = c.text[c.i];
  if (ch === '{') return members(c, '}', depth);
  if (ch === '[') return members(c, ']', depth);
  if (ch === '"') return string(c);
  for (const word of ['true', 'false', 'null']) if (c.text.startsWith(word, c.i)) return (c.i += word.length), true;
  NUMBER.lastIndex = c.i;
  const m = NUMBER.exec(c.text);
  if (!m) return false;
  c.i += m[0].length;
  return true;
}

// The 1-based line and column of the first error in `text`, or null when it is valid JSON.
export function jsonErrorAt(text: string): { line: number; column: number } | null {
  const c: Cursor = { text, i: 0 };
  if (value(c, 0)) {
    skipSpace(c);
    if (c.i >= text.length) return null;
  }
  const before = text.slice(0, c.i);
  const line = before.split('\n').length;
  return { line, column: c.i - before.lastIndexOf('\n') };
}
