// The README's tutorial, run as a new user would: from an empty temp folder outside the
// repository, with this package installed from the tarball `npm pack` makes, and every
// `tutorial` block run in order in one shell. It runs in a network namespace of its own
// (its port 3000 and the default metrics port are then private), where npm has no network:
// an earlier install of the same tarball outside the namespace fills npm's cache first
// (it needs the registry only the first time on a machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/config.js';
import { docBlocks, type DocBlock } from '../helpers/doc-blocks.js';
import { spawnInTest } from '../helpers/spawn.js';
import { canUseNetns } from '../helpers/procs.js';

const noNetns = !canUseNetns() && 'needs a network namespace of its own (root and unshare -n): the tutorial binds fixed ports';
const NPM_QUIET = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

// The tutorial as one bash script: files written where their block stands, commands in order.
function script(blocks: readonly DocBlock[]): string {
  return blocks.map((b) => {
    if (b.file) return `cat > ${JSON.stringify(b.file)} <<'GS_TUTORIAL_EOF'\n${b.code}GS_TUTORIAL_EOF\n`;
    assert.ok(b.lang === 'sh', `README.md:${b.line}: a tutorial block without file= must be sh`);
    return `echo "+ README.md:${b.line}"\n${b.code}`;
  }).join('\n');
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `npm ${args.join(' ')} in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('the README tutorial runs from an empty folder outside the repository, with the packed tarball', { skip: noNetns, timeout: 240_000 }, async () => {
  const blocks = docBlocks(path.join(ROOT, 'README.md'), undefined, 'tutorial');
  assert.ok(blocks.length >= 6, `the README has its tutorial (${blocks.length} blocks)`);
  const work = tempDir('gs-tutorial-');
  assert.ok(path.relative(ROOT, work).startsWith('..'), 'the folder is outside the repository');
  const packs = path.join(work, 'packs');
  mkdirSync(packs);
  // The build is done (npm test builds first): pack what is built, without running prepare.
  npm(['pack', '--ignore-scripts', '--pack-destination', packs], ROOT, { ...process.env, ...NPM_QUIET });
  const tarball = path.join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
  // Fill npm's cache with the package's dependencies (offline when they are there already).
  const warm = path.join(work, 'warm');
  mkdirSync(warm);
  writeFileSync(path.join(warm, 'package.json'), '{ "name": "warm", "private": true }\n');
  npm(['install', tarball], warm, { ...process.env, ...NPM_QUIET, npm_config_prefer_offline: 'true' });

  const hello = path.join(work, 'hello');
  mkdirSync(hello);
  writeFileSync(path.join(work, 'tutorial.sh'), script(blocks));
  const env = {
    ...process.env,
    ...NPM_QUIET,
    npm_config_offline: 'true',
    GS_TARBALL: tarball,
    SUPERVISOR_HOME: path.join(work, 'home'),
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
  };
  const child = spawnInTest('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec bash -eu -o pipefail "$0"', path.join(work, 'tutorial.sh')], { cwd: hello, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d));
  child.stderr!.on('data', (d: Buffer) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `the tutorial failed:\n${output}`);
  assert.match(output, /hello from worker [01], pid \d+/);
  assert.match(output, /hi from worker [01], pid \d+/, 'the reload served the new code');
  assert.match(output, /^supervisor_workers\{app="web",state="ready"\} 2$/m, 'the metrics endpoint answered');
  assert.ok(!lstatSync(path.join(hello, 'node_modules', 'graceful-supervisor')).isSymbolicLink(), 'installed from the tarball, not linked to the repository');
});
