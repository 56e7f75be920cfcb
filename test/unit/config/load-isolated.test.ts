// The loader child: it runs in the config's folder, meets its deadline by killing its whole
// process group, and whatever the config does (exit, write on the answer fd, throw later)
// the caller gets one clear error, never a hang or a bad config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfigIsolated, type LoadResult } from '../../../src/config/load-isolated.js';
import { parseLoaderAnswer } from '../../../src/config/loader-answer.js';
import { tempDir } from '../../helpers/config.js';
import { alive } from '../../helpers/procs.js';
import { waitFor } from '../../helpers/wait.js';

function setup() {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'w.js'), '');
  const write = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));
  return { dir, write };
}
const good = "{ apps: [{ name: 'web', script: 'w.js' }] }";
const errorOf = (r: LoadResult) => (r.ok ? assert.fail('expected an error') : r.error.message);

test('the config runs in its own folder', async () => {
  const { dir, write } = setup();
  const r = await loadConfigIsolated(write('eco.config.js', "module.exports = { apps: [{ name: require('path').basename(process.cwd()), script: 'w.js' }] };"));
  assert.ok(r.ok);
  assert.equal(r.config.apps[0]!.name, path.basename(dir));
});

test('past the deadline the whole process group is killed and the error names the deadline', async () => {
  const { dir, write } = setup();
  const pidFile = path.join(dir, 'sleeper.pid');
  const file = write('stuck.config.js', [
    "const { spawn } = require('child_process');",
    `const s = spawn('sleep', ['60'], { stdio: 'ignore' }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(s.pid));`,
    'module.exports = new Promise(() => {});',
  ].join('\n'));
  // Long enough for the loader child to start and run the config on a busy machine (at 500 ms
  // it sometimes had not started the sleeper yet at load average 5), short for a test.
  const began = Date.now();
  const r = await loadConfigIsolated(file, { deadlineMs: 3_000 });
  assert.match(errorOf(r), /stuck\.config\.js: the config did not finish loading within 3000 ms \(the deadline\)/);
  assert.ok(Date.now() - began < 15_000);
  const { readFileSync } = await import('node:fs');
  const sleeper = Number(readFileSync(pidFile, 'utf8'));
  await waitFor('the process the config started is killed too', () => !alive(sleeper), 3_000);
});

test('a config that exits, writes on the answer fd, or throws later gets a clear error', async () => {
  const { write } = setup();
  assert.match(errorOf(await loadConfigIsolated(write('exit.config.js', 'process.exit(0);'))), /exited \(code 0\) before answering: does the config call process\.exit\(\)\?/);
  assert.match(errorOf(await loadConfigIsolated(write('fd3.config.js', `require('fs').writeSync(3, 'junk'); module.exports = ${good};`))), /not JSON \(does the config write to fd 3\?\)/);
  assert.match(errorOf(await loadConfigIsolated(write('late.config.js', `setTimeout(() => { throw new Error('late boom') }, 0); module.exports = new Promise((r) => setTimeout(() => r(${good}), 200));`))), /the module threw after loading: Error: late boom/);
});

test('an aborted load kills the child at once', async () => {
  const { write } = setup();
  const ac = new AbortController();
  const pending = loadConfigIsolated(write('slow.config.js', 'module.exports = new Promise(() => {});'), { signal: ac.signal, deadlineMs: 30_000 });
  setTimeout(() => ac.abort(), 100);
  assert.match(errorOf(await pending), /the load was cancelled/);
});

test('the parent trusts only an answer of the right shape for the right file', () => {
  const config = { file: '/x/eco.json', apps: [], metrics: null, watchConfig: false, warnings: [], envName: null };
  assert.equal(typeof parseLoaderAnswer(JSON.stringify({ ok: true, config }), '/x/eco.json'), 'object');
  assert.match(String(parseLoaderAnswer(JSON.stringify({ ok: true, config }), '/y/eco.json')), /another file/);
  assert.match(String(parseLoaderAnswer(JSON.stringify({ ok: true, config: { ...config, apps: 5 } }), '/x/eco.json')), /wrong shape/);
  assert.match(String(parseLoaderAnswer(JSON.stringify({ ok: true, config: { ...config, apps: [{ name: 'a' }] } }), '/x/eco.json')), /wrong shape/);
  assert.match(String(parseLoaderAnswer(JSON.stringify({ ok: false, issues: [], warnings: [] }), '/x/eco.json')), /wrong shape/);
  assert.match(String(parseLoaderAnswer('{', '/x/eco.json')), /not JSON/);
});
