// Every `test` block in README.md, docs/ and deploy/ runs here against the real CLI and a
// real master, so the documentation cannot rot. See test/helpers/doc-blocks.ts for the format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/config.js';
import { docBlocks, type DocBlock } from '../helpers/doc-blocks.js';
import { spawnInTest } from '../helpers/spawn.js';

// Generous, for blocks that start, reload and stop a master on a busy machine; a block that
// hangs is still caught.
const BLOCK_TIMEOUT_MS = 60_000;

const docs = [
  path.join(ROOT, 'README.md'),
  path.join(ROOT, 'deploy/README.md'),
  ...(existsSync(path.join(ROOT, 'docs')) ? readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'docs', f)) : []),
].filter(existsSync);

// A temp dir where `supervisor` is on PATH and `graceful-supervisor/worker` (and prom-client) resolve.
function sandbox(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('gs-docs-');
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(ROOT, path.join(dir, 'node_modules/graceful-supervisor'));
  // A worker's own dependency, for the metrics examples (the SDK loads the worker's prom-client).
  symlinkSync(path.join(ROOT, 'node_modules/prom-client'), path.join(dir, 'node_modules/prom-client'));
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'supervisor'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(path.join(bin, 'supervisor'), 0o755);
  return { dir, env: { ...process.env, PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}`, SUPERVISOR_HOME: path.join(dir, '.home') } };
}

// Runs one block in its own process group; everything it left running is killed afterwards.
function runBlock(b: DocBlock, dir: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  const [cmd, args] = b.lang === 'sh' || b.lang === 'bash' ? ['bash', ['-eu', '-o', 'pipefail', '-c', b.code]] : [process.execPath, ['--input-type=module', '-e', b.code]];
  const child = spawnInTest(cmd, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // the group is gone
    }
  };
  const timer = setTimeout(() => {
    output += `\n[timed out after ${BLOCK_TIMEOUT_MS} ms]`;
    kill('SIGKILL');
  }, BLOCK_TIMEOUT_MS);
  return new Promise((resolve) => child.on('close', (status) => {
    clearTimeout(timer);
    kill('SIGKILL');
    resolve({ status, output });
  }));
}

for (const doc of docs) {
  const blocks = docBlocks(doc);
  if (blocks.length === 0) continue;
  test(`the examples of ${path.relative(ROOT, doc)} run (${blocks.length} blocks)`, { timeout: 240_000 }, async () => {
    const { dir, env } = sandbox();
    for (const b of blocks) {
      const where = `${path.relative(ROOT, b.doc)}:${b.line}`;
      if (b.file) {
        // As an editor saves it: not executable, so a doc that runs a script must say chmod +x.
        writeFileSync(path.join(dir, b.file), b.code, { mode: 0o644 });
        continue;
      }
      assert.ok(['sh', 'bash', 'js', 'mjs'].includes(b.lang), `${where}: a test block without file= must be sh or js, found "${b.lang}"`);
      const r = await runBlock(b, dir, env);
      assert.equal(r.status, b.exit, `${where} exited ${r.status}, expected ${b.exit}:\n${b.code}\n--- output ---\n${r.output}`);
    }
  });
}

test('the block extractor: info-string words, file= and exit= attributes, plain blocks skipped', () => {
  const md = ['# t', '```sh', 'echo prose', '```', '```json test file=e.json', '{}', '```', '  ```sh test exit=3', '  exit 3', '  ```', ''].join('\n');
  const blocks = docBlocks('t.md', md);
  assert.deepEqual(blocks.map((b) => [b.line, b.lang, b.file, b.exit, b.code]), [
    [5, 'json', 'e.json', 0, '{}\n'],
    [8, 'sh', null, 3, 'exit 3\n'],
  ]);
});
