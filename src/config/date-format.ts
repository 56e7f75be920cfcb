// log_date_format as PM2 reads it: PM2 stamps log lines with day.js's format() (no plugins),
// so the tokens and their output here are day.js's own, in the master's local time. "iso"
// and "epoch" are ours. Tokens that day.js prints oddly or only with a plugin are refused by
// name, so a format never renders differently from what its author expected without a word.

// Turns a date into the text of a log line's timestamp.
export type DateFormatter = (date: Date) => string;

// day.js's own token pattern: a [bracketed literal], or a run of one token letter.
const TOKEN = /\[([^\]]+)]|Y{1,4}|M{1,4}|D{1,2}|d{1,4}|H{1,2}|h{1,2}|a|A|m{1,2}|s{1,2}|Z{1,2}|SSS/g;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
// Letters that moment or a day.js plugin reads as a token, but that PM2's day.js prints as is.
const PLUGIN_LETTERS = /[XxQkwWEegGLSzNo]/;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function zone(date: Date, colon: boolean): string {
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${offset >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

const RENDER: Readonly<Record<string, (d: Date) => string>> = {
  YY: (d) => String(d.getFullYear()).slice(-2),
  YYYY: (d) => pad(d.getFullYear(), 4),
  M: (d) => String(d.getMonth() + 1),
  MM: (d) => pad(d.getMonth() + 1, 2),
  MMM: (d) => MONTHS[d.getMonth()]!.slice(0, 3),
  MMMM: (d) => MONTHS[d.getMonth()]!,
  D: (d) => String(d.getDate()),
  DD: (d) => pad(d.getDate(), 2),
  d: (d) => String(d.getDay()),
  dd: (d) => DAYS[d.getDay()]!.slice(0, 2),
  ddd: (d) => DAYS[d.getDay()]!.slice(0, 3),
  dddd: (d) => DAYS[d.getDay()]!,
  H: (d) => String(d.getHours()),
  HH: (d) => pad(d.getHours(), 2),
  h: (d) => String(d.getHours() % 12 || 12),
  hh: (d) => pad(d.getHours() % 12 || 12, 2),
  a: (d) => (d.getHours() < 12 ? 'am' : 'pm'),
  A: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  m: (d) => String(d.getMinutes()),
  mm: (d) => pad(d.getMinutes(), 2),
  s: (d) => String(d.getSeconds()),
  ss: (d) => pad(d.getSeconds(), 2),
  SSS: (d) => pad(d.getMilliseconds(), 3),
  Z: (d) => zone(d, true),
  ZZ: (d) => zone(d, false),
};

type Part = string | ((d: Date) => string);

// The formatter for `format`, or why it is refused (naming the token).
export function compileDateFormat(format: string): DateFormatter | { readonly error: string } {
  if (format === 'iso') return (d) => d.toISOString();
  if (format === 'epoch') return (d) => String(d.getTime());
  const parts: Part[] = [];
  let at = 0;
  for (const match of format.matchAll(TOKEN)) {
    const literal = format.slice(at, match.index);
    const odd = PLUGIN_LETTERS.exec(literal);
    if (odd) return { error: refusal(odd[0]) };
    if (literal) parts.push(literal);
    at = match.index + match[0].length;
    if (match[1] !== undefined) {
      parts.push(match[1]);
      continue;
    }
    const render = RENDER[match[0]];
    if (!render) return { error: `token "${match[0]}" is not supported (day.js prints the zone offset there); use "YYYY" or "YY"` };
    parts.push(render);
  }
  const rest = format.slice(at);
  const odd = PLUGIN_LETTERS.exec(rest);
  if (odd) return { error: refusal(odd[0]) };
  if (rest) parts.push(rest);
  return (d) => parts.map((p) => (typeof p === 'string' ? p : p(d))).join('');
}

function refusal(letter: string): string {
  const hint = letter === 'x' || letter === 'X' ? '; "epoch" gives milliseconds since 1970' : '';
  return `token "${letter}" is not supported (PM2 prints it as the letter itself); write [${letter}] for the letter${hint}`;
}
