// docs/migrating-from-pm2.md is generated (npm run gen:schema) and cannot go stale: the committed
// page matches the generator, and the key table covers every key of PM2's own schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { migratingMarkdown } from '../../../src/config/pm2-reference.js';
import { PM2_APP_KEYS } from '../../../src/config/pm2-keys.js';
import { ROOT } from '../../helpers/paths.js';

test('docs/migrating-from-pm2.md is up to date (npm run gen:schema)', () => {
  const committed = readFileSync(path.join(ROOT, 'docs/migrating-from-pm2.md'), 'utf8');
  assert.equal(committed, migratingMarkdown(), 'docs/migrating-from-pm2.md is stale: run npm run gen:schema');
});

test('every key of PM2\'s own schema (and its aliases) has a row with what happens to it', () => {
  const schemaFile = createRequire(import.meta.url).resolve('pm2/lib/API/schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, { alias?: string | string[] }>;
  const keys = Object.entries(schema).flatMap(([key, spec]) => (key.startsWith('^') ? [] : [key, ...[spec.alias ?? []].flat()]));
  const missing = keys.filter((k) => !Object.hasOwn(PM2_APP_KEYS, k));
  assert.deepEqual(missing, [], 'PM2 keys without a row in src/config/pm2-keys.ts');
  const page = migratingMarkdown();
  for (const key of keys) assert.ok(page.includes(`| \`${key}\` |`), `no row for ${key}`);
  assert.match(page, /\| `env_<name>` \| same: selected with `--env <name>`/, 'env_<name> works: the page says so');
  assert.match(page, /## Cluster mode \(`exec_mode: "cluster"`\)\n\nA PM2 cluster-mode app runs unchanged/);
});
