// Validation messages: every error at once, each with file, path, expected and found;
// did-you-mean for typos; PM2 keys reported by name with what to do instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { closestKey, editDistance } from '../../../src/config/suggest.js';
import { tempDir } from '../../helpers/config.js';

async function problems(config: unknown, env: string | null = null): Promise<{ file: string; lines: string[]; warnings: string[] }> {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'app.js'), '');
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, JSON.stringify(config));
  try {
    await loadConfig(file, { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return { file, lines: error.message.split('\n'), warnings: error.warnings.map((w) => `${w.path}: ${w.message}`) };
  }
  return { file, lines: [], warnings: [] };
}

test('every error is reported at once, each naming file, path, expected and found', async () => {
  const { file, lines } = await problems({
    apps: [
      { name: 'web', script: 'app.js', instances: 2000, kill_timeout: 'soon' },
      { name: 'web', script: 'app.js', max_memory_restart: '3X', min_uptime: 1e20 },
      { name: 'jobs', instances: 'many' },
      { name: 'c', script: 'missing.js', listen: 8080 },
      { name: 'd', script: 'app.js', listen: 'tcp://127.0.0.1:8080' },
    ],
  });
  const expected = [
    `${file}: apps[0].instances: expected a number <= 1024, found number 2000`,
    `${file}: apps[0].kill_timeout: expected a duration: milliseconds, or a string like "500ms", "30s", "2m", found "soon"`,
    `${file}: apps[1].max_memory_restart: expected a size: bytes, or a string like "300M", "1G", found "3X"`,
    `${file}: apps[1].min_uptime: expected a duration of at most 2147483647 ms (about 24 days), found number 100000000000000000000`,
    `${file}: apps[2].script: missing required key "script": expected a string, found nothing`,
    `${file}: apps[2].instances: expected a whole number -1024..1024 or "max", found "many"`,
    `${file}: apps[3].script: expected an existing file at ${path.join(path.dirname(file), 'missing.js')}, found nothing there`,
    `${file}: apps[4].listen: address tcp://127.0.0.1:8080 is already used by apps[3] (c); expected an address no other app listens on`,
  ];
  for (const line of expected) assert.ok(lines.includes(line), `missing:\n${line}\nin:\n${lines.join('\n')}`);
  assert.equal(lines.length, expected.length, lines.join('\n'));
});

test('unknown keys close to a known one are errors with a did-you-mean; others are ignored with a warning, as PM2 ignores them', async () => {
  const { lines, warnings } = await problems({ apps: [{ name: 'a', script: 'app.js', kill_timout: 5, maxMemoryRestart: '1G', zzzqqq: 1 }], metrics: { hots: 'x' } });
  assert.ok(lines.some((l) => l.endsWith('apps[0].kill_timout: unknown key "kill_timout"; did you mean "kill_timeout"?')), lines.join('\n'));
  assert.ok(lines.some((l) => l.endsWith('apps[0].maxMemoryRestart: unknown key "maxMemoryRestart"; did you mean "max_memory_restart"?')), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes('zzzqqq')), lines.join('\n'));
  assert.deepEqual(warnings, ['apps[0].zzzqqq: unknown key "zzzqqq" is ignored (PM2 ignores it too)']);
  assert.ok(lines.some((l) => l.endsWith('metrics.hots: unknown key "hots"; did you mean "host"?')), lines.join('\n'));
});

test('PM2 keys that would change what runs are refused with what to do instead; bookkeeping keys only warn', async () => {
  const { lines, warnings } = await problems({
    apps: [{ name: 'a', script: 'app.js', node_args: '--inspect', cron_restart: '0 * * * *', exec_mode: 'cluster', instance_var: 'ID', shutdown_with_message: true, filter_env: true, time: true, vizion: false }],
    deploy: {},
  });
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.ok(lines.some((l) => /apps\[0\]\.filter_env: PM2 key "filter_env" is not supported: remove it/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /apps\[0\]\.shutdown_with_message: PM2 key "shutdown_with_message" is not supported: remove it/.test(l)), lines.join('\n'));
  assert.deepEqual(warnings.map((w) => w.split(':')[0]).sort(), ['apps[0].vizion', 'deploy']);
  assert.ok(warnings.every((w) => /is not supported and is ignored: (remove|keep) it/.test(w)), warnings.join('\n'));
});

test('a file with only ignorable PM2 keys loads, and keeps its warnings', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'app.js'), '');
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'a', script: 'app.js', vizion: true }] }));
  const config = await loadConfig(file);
  assert.equal(config.apps[0]!.name, 'a');
  assert.deepEqual(config.warnings?.map((w) => w.path), ['apps[0].vizion']);
});

test('non-object roots and missing apps are clear errors', async () => {
  for (const [root, re] of [
    ['x', /: expected an object with an "apps" list at the top level \(or one app, or a list of apps\), found "x"$/],
    [42, /found number 42$/],
    [null, /found null$/],
    [{}, /apps: missing required key "apps": expected a list, found nothing$/],
  ] as const) {
    const { lines } = await problems(root);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, re);
  }
});

test('env_<name> blocks: validated, merged over env with --env, and a missing block is an error', async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'app.js'), '');
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, JSON.stringify({ apps: [{ name: 'a', script: 'app.js', env: { A: '1', B: 'dev' }, env_production: { B: 'prod', C: 3 } }] }));
  assert.deepEqual((await loadConfig(file)).apps[0]!.env, { A: '1', B: 'dev' });
  const prod = await loadConfig(file, { env: 'production' });
  assert.deepEqual(prod.apps[0]!.env, { A: '1', B: 'prod', C: '3' });
  assert.equal(prod.envName, 'production');
  await assert.rejects(loadConfig(file, { env: 'prod' }), /--env prod: expected an app with an "env_prod" block, found env_production/);
  const { lines } = await problems({ apps: [{ name: 'a', script: 'app.js', env_staging: { X: [1] } }] });
  assert.match(lines[0]!, /apps\[0\]\.env_staging\.X: expected a string, number or boolean, found a list of 1$/);
});

test('edit distance counts a swap as one edit; far-off keys get no suggestion', () => {
  assert.equal(editDistance('hots', 'host'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(closestKey('instnaces', ['instances', 'name']), 'instances');
  assert.equal(closestKey('colour', ['instances', 'name']), null);
});

test('log keys: max_line_length, max_log_size and max_log_files are checked and normalized', async () => {
  const { file, lines } = await problems({
    apps: [{ name: 'a', script: 'app.js', max_line_length: '100', max_log_size: 'huge', max_log_files: 0 }, { name: 'b', script: 'app.js', max_line_length: '32M' }],
  });
  assert.deepEqual(lines.filter((l) => l.includes('max_')), [
    `${file}: apps[0].max_line_length: expected a size of at least "1K", found "100"`,
    `${file}: apps[0].max_log_size: expected a size: bytes, or a string like "300M", "1G", found "huge"`,
    `${file}: apps[0].max_log_files: expected a number >= 1, found number 0`,
    `${file}: apps[1].max_line_length: expected a size of at most "16M", found "32M"`,
  ]);
  const dir = tempDir();
  writeFileSync(path.join(dir, 'app.js'), '');
  const good = path.join(dir, 'ecosystem.json');
  writeFileSync(good, JSON.stringify({ apps: [{ name: 'a', script: 'app.js', max_line_length: '8K', max_log_size: '10M' }, { name: 'b', script: 'app.js' }] }));
  const config = await loadConfig(good);
  assert.deepEqual(config.apps.map((a) => [a.max_line_length, a.max_log_size, a.max_log_files]), [[8192, 10 * 1024 * 1024, 5], [65536, null, 5]]);
});

test('a NUL in an env name or value, an argument or a path is refused with its path: the kernel would refuse it at spawn', async () => {
  const { file, lines } = await problems({
    apps: [
      { name: 'ok', script: 'app.js' },
      { name: 'web', script: 'app.js', args: ['--x', 'a\u0000b'], env: { GOOD: '1', BAD: 'x\u0000y', 'N\u0000': '1' }, cwd: '.\u0000', out_file: '/tmp/o\u0000.log', interpreter_args: 'p\u0000' },
    ],
  });
  const hint = 'expected no NUL character (\\u0000): the kernel cannot pass one to a worker';
  assert.deepEqual(lines.filter((l) => !/invalid: \d+ problems/.test(l)).sort(), [
    `${file}: apps[1].args[1]: ${hint}`,
    `${file}: apps[1].cwd: ${hint}`,
    `${file}: apps[1].env.BAD: ${hint}`,
    `${file}: apps[1].env: the key "N\\u0000": ${hint}`,
    `${file}: apps[1].interpreter_args: ${hint}`,
    `${file}: apps[1].out_file: ${hint}`,
  ].sort());
});
