// The quick verbs stay quick: `status` (and the entry that dispatches to it) must not load
// the master's code. Walks the static imports of the compiled modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers/paths.js';

// Every compiled module of ours reachable through static imports from `entry`.
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm)) {
      visit(path.resolve(path.dirname(file), (m[1] ?? m[2])!));
    }
  };
  visit(entry);
  return [...seen].map((f) => path.relative(path.join(ROOT, 'dist'), f));
}

for (const verb of ['main', 'status', 'stop', 'reload', 'scale', 'logs']) {
  test(`${verb}.js loads no master code`, () => {
    const graph = staticGraph(path.join(ROOT, 'dist/src/cli', `${verb}.js`));
    assert.ok(graph.length > 0);
    assert.deepEqual(graph.filter((f) => f.startsWith('src/master/') || f.startsWith('src/config/') || f.startsWith('src/worker/')), [], graph.join('\n'));
  });
}
