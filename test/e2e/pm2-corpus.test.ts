// Real PM2 ecosystem files (rebuilt from facts, test/fixtures/pm2-corpus.json) pass
// `supervisor check` unchanged, cluster-mode files included; entries marked `expected` are
// refused on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/config.js';
import { corpus, usesCluster, writeCorpusEntry, type CorpusEntry } from '../helpers/pm2-corpus.js';

// Runs `check` on every entry, a few at a time.
async function checkAll(entries: readonly CorpusEntry[]): Promise<CliResult[]> {
  const home = tempDir('gs-corpus-home-');
  const results: CliResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      results[i] = await cli(home, ['check', writeCorpusEntry(entries[i]!, tempDir('gs-corpus-'))]);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

test('the PM2 corpus passes supervisor check, cluster-mode files included', { timeout: 300_000 }, async (t) => {
  const entries = corpus();
  assert.ok(entries.length >= 60, `the corpus has ${entries.length} files`);
  assert.equal(new Set(entries.map((e) => e.source.repo)).size, entries.length, 'one file per repository');
  const results = await checkAll(entries);
  const failures: string[] = [];
  let passed = 0;
  entries.forEach((e, i) => {
    const r = results[i]!;
    const name = `${e.source.repo}/${e.source.path}`;
    if (r.code === 0) passed++;
    if (e.expected) {
      if (r.code !== 2) failures.push(`${name}: expected a refusal (${e.expected}), got exit ${r.code}`);
    } else if (r.code !== 0) {
      failures.push(`${name}: exit ${r.code}\n${r.stderr}`);
    }
  });
  const cluster = entries.filter(usesCluster);
  assert.ok(cluster.length >= 20, `the corpus has ${cluster.length} cluster-mode files`);
  t.diagnostic(`pm2 corpus: ${passed}/${entries.length} pass supervisor check; cluster-mode files: ${cluster.filter((e) => results[entries.indexOf(e)]!.code === 0).length}/${cluster.length}`);
  assert.deepEqual(failures, []);
});
