// The published schema and the config reference are generated from the one schema: this fails
// when either committed file is out of date (fix: `npm run gen:schema`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ecosystemJsonSchema, configReferenceMarkdown } from '../../../src/config/reference.js';
import { appSchema } from '../../../src/config/schema.js';
import { ROOT } from '../../helpers/paths.js';

test('ecosystem.schema.json is up to date (npm run gen:schema)', () => {
  const committed = readFileSync(path.join(ROOT, 'ecosystem.schema.json'), 'utf8');
  assert.equal(committed, JSON.stringify(ecosystemJsonSchema(), null, 2) + '\n', 'ecosystem.schema.json is stale: run npm run gen:schema');
});

test('docs/config.md is up to date (npm run gen:schema) and lists every key', () => {
  const committed = readFileSync(path.join(ROOT, 'docs/config.md'), 'utf8');
  assert.equal(committed, configReferenceMarkdown(), 'docs/config.md is stale: run npm run gen:schema');
  for (const key of Object.keys(appSchema.shape)) assert.match(committed, new RegExp(`\\| \`${key.replace('$', '\\$')}\` \\|`));
});

test('the schema allows env_<name> blocks and "$schema", and nothing else unknown', () => {
  const schema = ecosystemJsonSchema() as { properties: Record<string, { items?: { additionalProperties?: unknown; patternProperties?: Record<string, unknown> } }> };
  const item = schema.properties.apps!.items!;
  assert.equal(item.additionalProperties, false);
  assert.ok(Object.keys(item.patternProperties ?? {}).some((re) => new RegExp(re).test('env_production')));
  assert.ok('$schema' in schema.properties);
});

test('supervisor check does not import master code', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'/g)) visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(path.join(ROOT, 'dist/src/cli/check.js'));
  const master = [...seen].filter((f) => f.includes(`${path.sep}master${path.sep}`));
  assert.deepEqual(master, []);
  assert.ok(seen.size > 5);
});
