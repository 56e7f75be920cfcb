// Error codes are a contract: every code of src/protocol/codes.ts has an exit code, a row in
// docs/cli.md giving that exit code, and a row in docs/protocols.md; no doc lists a code that
// does not exist. (test/e2e/error-codes.test.ts shows each one is produced.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../../../src/protocol/codes.js';
import { EXIT, EXIT_FOR_CODE } from '../../../src/cli/exit-codes.js';
import { ROOT } from '../../helpers/paths.js';

const cli = readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');
const protocols = readFileSync(path.join(ROOT, 'docs/protocols.md'), 'utf8');

test('every error code maps to a documented exit code, in docs/cli.md and docs/protocols.md', () => {
  const names = new Map(Object.entries(EXIT).map(([name, code]) => [code as number, name]));
  for (const code of ERROR_CODES) {
    const exit = EXIT_FOR_CODE[code];
    assert.ok(names.has(exit), `${code} maps to a known exit code`);
    assert.match(cli, new RegExp(`^\\| \`${code}\` \\| ${exit} \\(\`${names.get(exit)}\`\\) \\| \\S`, 'm'), `docs/cli.md has a row for ${code} -> ${exit}`);
    assert.match(protocols, new RegExp(`^\\| \`${code}\` \\| \\S`, 'm'), `docs/protocols.md has a row for ${code}`);
  }
});

test('the docs list no error code that does not exist', () => {
  for (const doc of [cli, protocols]) {
    for (const m of doc.matchAll(/`(E_[A-Z_]+)`/g)) assert.ok((ERROR_CODES as readonly string[]).includes(m[1]!), `${m[1]} exists`);
  }
});
