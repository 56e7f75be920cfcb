// Reading ecosystem files: JSON is never evaluated; .js/.cjs/.mjs load as PM2 loads them, from
// the current file on every load (each load is a fresh loader child); bad files (empty, binary,
// huge, symlink loops, throwing modules) are clear errors that never echo the file's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { loadConfigIsolated } from '../../../src/config/load-isolated.js';
import { tempDir } from '../../helpers/config.js';

function setup(): { dir: string; write: (name: string, text: string | Buffer) => string } {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'app.js'), '');
  return { dir, write: (name, text) => (writeFileSync(path.join(dir, name), text), path.join(dir, name)) };
}

const app = (name: string) => `{ apps: [{ name: '${name}', script: 'app.js' }] }`;

test('.config.js (module.exports), .cjs, .mjs and export default all load', async () => {
  const { write } = setup();
  for (const [file, text] of [
    ['ecosystem.config.js', `module.exports = ${app('cjs')};`],
    ['eco.cjs', `module.exports = ${app('cjs2')};`],
    ['eco.mjs', `export default ${app('mjs')};`],
    ['esm.config.js', `export default ${app('esm')};`],
  ] as const) {
    const config = await loadConfig(write(file, text));
    assert.equal(config.apps.length, 1, file);
  }
});

const nameOf = async (p: string) => {
  const r = await loadConfigIsolated(p);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.config.apps[0]!.name;
};

test('every load evaluates the current file, CommonJS and ESM', async () => {
  const { write } = setup();
  for (const [file, wrap] of [['ecosystem.config.js', (s: string) => `module.exports = ${s}`], ['eco.mjs', (s: string) => `export default ${s}`]] as const) {
    const p = write(file, wrap(app('first')));
    assert.equal(await nameOf(p), 'first');
    write(file, wrap(app('second')));
    assert.equal(await nameOf(p), 'second', file);
  }
});

test('a CommonJS config re-reads the project files it requires', async () => {
  const { write } = setup();
  write('names.js', "module.exports = 'one';");
  const p = write('ecosystem.config.js', "module.exports = { apps: [{ name: require('./names.js'), script: 'app.js' }] };");
  assert.equal(await nameOf(p), 'one');
  write('names.js', "module.exports = 'two';");
  assert.equal(await nameOf(p), 'two');
});

test('a JS config that throws or exports nothing usable is a clear error', async () => {
  const { write } = setup();
  await assert.rejects(loadConfig(write('a.config.js', 'throw new Error("no DB_URL set")')), /a\.config\.js: the module threw while loading: Error: no DB_URL set/);
  await assert.rejects(loadConfig(write('b.config.js', 'const x = 1;')), /b\.config\.js: the module exports nothing usable; expected `module\.exports = \{ apps: \[\.\.\.\] \}`/);
  await assert.rejects(loadConfig(write('c.mjs', 'export const x = 1;')), /c\.mjs: apps: missing required key "apps"/);
  await assert.rejects(loadConfig(write('d.config.js', 'module.exports = {')), /d\.config\.js: the module threw while loading: SyntaxError/);
});

test('JSON is parsed, never evaluated', async () => {
  const { dir, write } = setup();
  const marker = path.join(dir, 'evaluated');
  const p = write('eco.json', `module.exports = (require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'), ${app('x')})`);
  await assert.rejects(loadConfig(p), /eco\.json: invalid JSON at line 1, column 1: unexpected character$/);
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(marker), false);
});

test('empty, whitespace, binary, oversized, missing files, directories and symlink loops are clear errors', async () => {
  const { dir, write } = setup();
  symlinkSync(path.join(dir, 'loop-b.json'), path.join(dir, 'loop-a.json'));
  symlinkSync(path.join(dir, 'loop-a.json'), path.join(dir, 'loop-b.json'));
  const cases: [string, RegExp][] = [
    [write('empty.json', ''), /empty\.json: file is empty; expected an object with an "apps" list$/],
    [write('blank.json', ' \n\t\n'), /blank\.json: file has only whitespace/],
    [write('nul.json', Buffer.from([0x7b, 0x00, 0x01, 0x02])), /nul\.json: file contains NUL bytes: it looks binary/],
    [write('latin.json', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /latin\.json: file is not valid UTF-8 text/],
    [write('garbage.config.js', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])), /garbage\.config\.js: file contains NUL bytes: it looks binary/],
    [write('huge.json', `{"apps":[],"pad":"${'x'.repeat(1024 * 1024)}"}`), /huge\.json: file is \d+ bytes, larger than the 1 MB limit/],
    [path.join(dir, 'nope.json'), /nope\.json: file not found/],
    [dir, /: is a directory; expected an ecosystem file/],
    [path.join(dir, 'loop-a.json'), /loop-a\.json: symbolic link loop \(ELOOP\)/],
    [write('bad.json', '{\n  "apps": [,]\n}'), /bad\.json: invalid JSON at line 2, column 12: unexpected character$/],
    [write('cut.json', '{\n  "apps": ['), /cut\.json: invalid JSON at line 2, column 12: unexpected end of JSON input$/],
    [write('words.json', 'the password is hunter2'), /words\.json: invalid JSON at line 1, column 1: unexpected character$/],
    [write('trail.json', '{"apps": []} hunter2'), /trail\.json: invalid JSON at line 1, column 14: unexpected non-whitespace character after JSON$/],
    [write('syntax.config.js', 'module.exports = { apps: [ hunter2 is secret ] };'), /syntax\.config\.js: the module threw while loading: SyntaxError: Unexpected identifier \(line 1\)$/],
  ];
  for (const [file, re] of cases) await assert.rejects(loadConfig(file), re, file);
  for (const [file] of cases) await assert.rejects(loadConfig(file), (e: Error) => !/hunter2|password|secret/.test(e.message), `${file}: the error does not echo the file`);
});

test('the example ecosystem file with "$schema" loads', async () => {
  const { ROOT } = await import('../../helpers/paths.js');
  const config = await loadConfig(path.join(ROOT, 'ecosystem.example.json'));
  assert.deepEqual(config.apps.map((a) => a.name).sort(), ['jobs', 'web']);
});
