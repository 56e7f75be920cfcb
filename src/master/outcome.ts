// How a request ended, as told to whoever waits for it: done, or refused/failed with a code
// from the closed set (src/protocol/codes.ts). Codes travel as data, never through message text.
import type { ErrorCode } from '../protocol/codes.js';

// The answer to one request.
export type Outcome =
  | { readonly ok: true; readonly message: string }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

// Someone waiting for an outcome: a CLI call, a signal, a test.
export type Waiter = (outcome: Outcome) => void;

// A successful outcome.
export const done = (message: string): Outcome => ({ ok: true, message });

// A failed outcome with its code.
export const failed = (code: ErrorCode, message: string): Outcome => ({ ok: false, code, message });

// One outcome for several parts (apps, files): ok when every part is; else the first failure's code.
export function combine(parts: readonly Outcome[], empty = 'nothing to do'): Outcome {
  if (parts.length === 0) return done(empty);
  const message = parts.map((p) => p.message).filter(Boolean).join('\n');
  const failure = parts.find((p): p is Extract<Outcome, { ok: false }> => !p.ok);
  return failure ? failed(failure.code, message) : done(message);
}

// Splits one waiter into `n` partial waiters; the waiter hears once, when every part did.
export function fanIn(n: number, waiter: Waiter, empty?: string): Waiter[] {
  if (n === 0) {
    waiter(combine([], empty));
    return [];
  }
  const parts: Outcome[] = [];
  let left = n;
  return Array.from({ length: n }, () => {
    let heard = false;
    return (o: Outcome) => {
      if (heard) return;
      heard = true;
      parts.push(o);
      if (--left === 0) waiter(combine(parts, empty));
    };
  });
}
