// How a schema problem reads: "expected <what>, found <what was there>", with the value found
// described briefly. Shared by the shape check and the env block check.
import type { z } from 'zod';
import { formatPath, type ConfigIssue } from './errors.js';

// What a check found: problems that refuse the file, and warnings that do not.
export interface Findings {
  readonly errors: ConfigIssue[];
  readonly warnings: ConfigIssue[];
}

// A short description of a value as found in the file.
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}

// The value at a zod path inside the raw file, or undefined.
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list', record: 'an object',
};

// One issue as zod reports it.
export type ZodIssue = z.core.$ZodIssue;

function expectedText(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return 'expected a non-empty string';
      return `expected ${issue.origin === 'array' ? 'a list with at least' : 'a number >='} ${String(issue.minimum)}`;
    case 'too_big': return `expected ${issue.origin === 'array' ? 'a list with at most' : 'a number <='} ${String(issue.maximum)}`;
    case 'invalid_value': return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    default: return issue.message.startsWith('expected') ? issue.message : `expected ${issue.message}`;
  }
}

// Records one zod issue at `path` as an error naming what was expected and what was found.
export function pushIssue(out: Findings, path: readonly PropertyKey[], issue: ZodIssue, found: unknown): void {
  const last = path[path.length - 1];
  if (found === undefined && issue.code === 'invalid_type' && typeof last === 'string') {
    out.errors.push({ path: formatPath(path), message: `missing required key "${last}": ${expectedText(issue)}, found nothing` });
    return;
  }
  out.errors.push({ path: formatPath(path), message: `${expectedText(issue)}, found ${describeValue(found)}` });
}
