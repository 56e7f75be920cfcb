// `supervisor run` (through the CLI's shebang) and the daemon (through the launcher) get the
// same node flags, and this node accepts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { MASTER_NODE_FLAGS } from '../../../src/runtime/master-flags.js';
import { ROOT } from '../../helpers/paths.js';

test('the CLI shebang carries MASTER_NODE_FLAGS, and node runs with them silently', () => {
  const shebang = readFileSync(path.join(ROOT, 'src/cli/main.ts'), 'utf8').split('\n')[0]!;
  assert.equal(shebang, `#!/usr/bin/env -S node ${MASTER_NODE_FLAGS.join(' ')}`);
  const r = spawnSync(process.execPath, [...MASTER_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'ok');
  assert.equal(r.stderr, '', 'no flag warning');
});
