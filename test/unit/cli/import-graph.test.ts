// The quick verbs stay quick: `status` (and the entry that dispatches to it) must not load
// the master's code; and the master never loads the config schema (zod) or the code that
// evaluates config files, which run only in the loader child. Walks the static imports of
// the compiled modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers/paths.js';

// Every compiled module of ours reachable through static imports from `entry`, and the
// packages they import.
function staticGraph(entry: string, packages: Set<string> = new Set()): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return [...seen].map((f) => path.relative(path.join(ROOT, 'dist'), f));
}

for (const entry of ['src/master/boot.js', 'src/runtime/daemon.js', 'src/cli/run.js']) {
  test(`${entry} loads neither zod nor the config evaluation code`, () => {
    const packages = new Set<string>();
    const graph = staticGraph(path.join(ROOT, 'dist', entry), packages);
    assert.ok(graph.includes('src/config/load-isolated.js'), 'it reads configs through the loader child');
    const evaluating = ['src/config/load.js', 'src/config/schema.js', 'src/config/validate.js', 'src/config/read-source.js', 'src/config/load-module.js'];
    assert.deepEqual(graph.filter((f) => evaluating.includes(f)), []);
    assert.ok(!packages.has('zod'), [...packages].join(', '));
  });
}

for (const verb of ['main', 'status', 'stop', 'reload', 'scale', 'logs', 'forget']) {
  test(`${verb}.js loads no master code`, () => {
    const graph = staticGraph(path.join(ROOT, 'dist/src/cli', `${verb}.js`));
    assert.ok(graph.length > 0);
    assert.deepEqual(graph.filter((f) => f.startsWith('src/master/') || f.startsWith('src/config/') || f.startsWith('src/worker/')), [], graph.join('\n'));
  });
}
