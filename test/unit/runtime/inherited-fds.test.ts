// Fd hygiene at boot: an inherited fd is closed, but a read-only fd on the NODE_EXTRA_CA_CERTS
// file is left alone (Node 22 and 24 read it on another thread while the master boots, and
// close that number again when done: closing it under them closed a pipe of ours instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/config.js';

const MODULE = new URL('../../../src/runtime/inherited-fds.js', import.meta.url).href;

// Runs closeInheritedFds in a Node started by bash with fd 300 open on `other` and fd 301 on `certs` (as a user's `exec 300<file`).
function closedIn(env: NodeJS.ProcessEnv, other: string, certs: string): number[] {
  const probe = `import { closeInheritedFds } from ${JSON.stringify(MODULE)}; console.log(JSON.stringify(closeInheritedFds()));`;
  const r = spawnSync('bash', ['-c', 'exec 300<"$1" 301<"$2"; exec "$3" --input-type=module -e "$4"', 'bash', other, certs, process.execPath, probe], { env, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

test('an inherited read-only fd is closed; one on the NODE_EXTRA_CA_CERTS file is not', () => {
  const dir = tempDir();
  const other = path.join(dir, 'other.txt');
  const certs = path.join(dir, 'extra-ca.pem');
  writeFileSync(other, 'inherited\n');
  writeFileSync(certs, 'not a certificate\n');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const withCerts = closedIn({ ...env, NODE_EXTRA_CA_CERTS: certs }, other, certs);
  assert.ok(withCerts.includes(300), `fd 300 closed: ${JSON.stringify(withCerts)}`);
  assert.ok(!withCerts.includes(301), `fd 301 (the extra CA file) left alone: ${JSON.stringify(withCerts)}`);
  // Without the variable that file is nothing of Node's: closed like any inherited fd.
  const without = closedIn(env, other, certs);
  assert.ok(without.includes(300) && without.includes(301), `both closed: ${JSON.stringify(without)}`);
});
