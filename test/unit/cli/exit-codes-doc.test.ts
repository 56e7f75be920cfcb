// Exit codes are a contract: every code in exit-codes.ts has a row in docs/cli.md, and every
// verb's --help lists only documented codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { CLI, ROOT } from '../../helpers/paths.js';

const doc = readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');

test('every exit code is documented in docs/cli.md', () => {
  for (const [name, code] of Object.entries(EXIT)) {
    assert.match(doc, new RegExp(`^\\| ${code} \\| \`${name}\` \\| \\S`, 'm'), `docs/cli.md has no row for ${code} ${name}`);
  }
});

test('every verb is documented and its --help names its exit codes', () => {
  const codes = new Set<number>(Object.values(EXIT));
  for (const verb of ['run', 'start', 'stop', 'reload', 'restart', 'status', 'scale', 'forget', 'logs']) {
    assert.match(doc, new RegExp(`^### \`supervisor ${verb}\\b`, 'm'), `docs/cli.md documents ${verb}`);
    const help = execFileSync(process.execPath, [CLI, verb, '--help'], { encoding: 'utf8', timeout: 30_000 });
    const line = /Exit codes: (.*)/.exec(help)?.[1];
    assert.ok(line, `${verb} --help lists its exit codes`);
    for (const m of line.matchAll(/(?:^|, )(\d+) /g)) assert.ok(codes.has(Number(m[1])), `${verb}: code ${m[1]} exists in exit-codes.ts`);
  }
});
