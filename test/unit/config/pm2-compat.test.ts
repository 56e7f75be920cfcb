// PM2's ways of writing an ecosystem file, read as PM2 reads them (src/config/pm2-translate.ts):
// each form is honoured, or refused or warned about with one line of advice naming the path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import type { Config } from '../../../src/config/types.js';
import { tempDir } from '../../helpers/config.js';

function setup(): string {
  const dir = tempDir();
  for (const f of ['app.js', 'worker.py', 'run.sh', 'bin-tool']) writeFileSync(path.join(dir, f), '');
  chmodSync(path.join(dir, 'run.sh'), 0o755);
  return dir;
}

async function load(text: string, name = 'ecosystem.json', env: string | null = null): Promise<Config> {
  const dir = setup();
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return loadConfig(file, { env });
}

async function refusal(config: unknown): Promise<string[]> {
  try {
    await load(JSON.stringify(config));
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('the file was accepted');
}

const cpus = os.availableParallelism();

test('PM2 aliases name our keys: node_args, exec_interpreter, output/error, err_file, cron, combine_logs', async () => {
  const c = await load(JSON.stringify({ apps: [
    { name: 'a', script: 'app.js', node_args: '--max-old-space-size=64 --expose-gc', output: './o.log', error: './e.log', cron: '0 3 * * *', combine_logs: true },
    { name: 'b', exec: 'worker.py', exec_interpreter: 'python3', err_file: 'b.err' },
  ] }));
  const [a, b] = c.apps;
  assert.deepEqual(a!.interpreter_args, ['--max-old-space-size=64', '--expose-gc']);
  assert.equal(path.basename(a!.out_file!), 'o.log');
  assert.equal(path.basename(a!.error_file!), 'e.log');
  assert.equal(a!.cron_restart, '0 3 * * *');
  assert.equal(b!.interpreter, 'python3');
  assert.equal(path.basename(b!.script), 'worker.py');
  assert.equal(path.basename(b!.error_file!), 'b.err');
  const both = await refusal({ apps: [{ name: 'a', script: 'app.js', node_args: '-a', interpreter_args: '-b' }] });
  assert.deepEqual(both, ['apps[0].node_args: "node_args" is PM2\'s other name for "interpreter_args", which is set too; keep one']);
});

test('instances as PM2 reads them: a numeric string, 0 and "max" one per CPU, -1 one fewer (at least 1)', async () => {
  const c = await load(JSON.stringify({ apps: [
    { name: 'a', script: 'app.js', instances: '3' }, { name: 'b', script: 'app.js', instances: 0 }, { name: 'c', script: 'app.js', instances: 'max' },
    { name: 'd', script: 'app.js', instances: -1 }, { name: 'e', script: 'app.js', instances: -1000 },
  ] }));
  assert.deepEqual(c.apps.map((a) => a.instances), [3, cpus, cpus, Math.max(1, cpus - 1), 1]);
  assert.match((await refusal({ apps: [{ name: 'a', script: 'app.js', instances: 'two' }] }))[0]!, /^apps\[0\]\.instances: expected a whole number -1024\.\.1024 or "max", found "two"$/);
});

test('names: spaces allowed, a missing one comes from the script, duplicates run as <name>-2 with a warning', async () => {
  const c = await load(JSON.stringify({ apps: [{ name: 'My API', script: 'app.js' }, { script: './app.js' }, { script: 'app.js' }, { name: 'app-2', script: 'app.js' }, { name: 'My API', script: 'app.js' }] }));
  assert.deepEqual(c.apps.map((a) => a.name), ['My API', 'app', 'app-3', 'app-2', 'My API-2']);
  assert.deepEqual(c.warnings?.map((w) => w.path), ['apps[2].name', 'apps[4].name']);
  assert.match(c.warnings![0]!.message, /"app" is also apps\[1\]\.name; this app runs as "app-3"/);
  assert.match((await refusal({ apps: [{ name: 'a/b', script: 'app.js' }] }))[0]!, /^apps\[0\]\.name: expected a name without "\/" or control characters/);
});

test('a file that is one app object, or a bare list of apps, runs as PM2 runs it', async () => {
  assert.deepEqual((await load(JSON.stringify({ name: 'solo', script: 'app.js', instances: '2' }), 'process.json')).apps.map((a) => [a.name, a.instances]), [['solo', 2]]);
  assert.deepEqual((await load(JSON.stringify([{ name: 'x', script: 'app.js' }, { script: 'app.js' }]))).apps.map((a) => a.name), ['x', 'app']);
});

test('top-level env blocks and unknown top-level keys are ignored with a warning, as PM2 ignores them', async () => {
  const c = await load(JSON.stringify({ apps: [{ name: 'a', script: 'app.js' }], env_production: { A: 1 }, env: { B: 2 }, deploy: {}, flavour: 'x' }));
  assert.deepEqual(c.warnings?.map((w) => w.path).sort(), ['deploy', 'env', 'env_production', 'flavour']);
  assert.ok(c.warnings!.find((w) => w.path === 'env_production')!.message.includes('put "env_<name>" in each app'));
});

test('port is env.PORT; instance_var and increment_var reach the spec; treekill is kill_group; disable_logs is /dev/null', async () => {
  const c = await load(JSON.stringify({ apps: [{ name: 'a', script: 'app.js', port: 3000, env: { PORT: '1', A: 'x' }, instance_var: 'INSTANCE_ID', increment_var: 'PORT', treekill: false, disable_logs: true }] }));
  const a = c.apps[0]!;
  assert.deepEqual(a.env, { PORT: '3000', A: 'x' });
  assert.equal(a.instance_var, 'INSTANCE_ID');
  assert.equal(a.increment_var, 'PORT');
  assert.equal(a.kill_group, false);
  assert.deepEqual([a.out_file, a.error_file], ['/dev/null', '/dev/null']);
  assert.equal((await load(JSON.stringify({ apps: [{ name: 'a', script: 'app.js' }] }))).apps[0]!.instance_var, 'NODE_APP_INSTANCE');
});

test('a script with spaces runs with bash -c, its args after it; scripts get PM2\'s interpreter unless executable', async () => {
  const c = await load(JSON.stringify({ apps: [
    { script: 'npm run start', args: 'one two' }, { name: 'py', script: 'worker.py' }, { name: 'sh', script: 'run.sh' }, { name: 'bin', script: './bin-tool' }, { name: 'cmd', script: 'pnpm', args: 'start' },
  ] }));
  const [npm, py, sh, bin, cmd] = c.apps;
  assert.equal(npm!.name, 'npm run start');
  assert.equal(npm!.script, 'bash');
  assert.deepEqual(npm!.args, ['-c', 'npm run start "$@"', 'bash', 'one', 'two']);
  assert.equal(py!.interpreter, 'python3');
  assert.equal(sh!.interpreter, null, 'an executable script runs itself');
  assert.equal(bin!.interpreter, 'node', 'PM2 runs other scripts with node');
  assert.equal(cmd!.interpreter, null, 'a bare command is looked up on PATH');
});

test('watch_options: a safe subset goes to chokidar; options that break the watcher are refused with advice', async () => {
  const c = await load(JSON.stringify({ apps: [{ name: 'a', script: 'app.js', watch: true, watch_options: { usePolling: true, interval: 5, followSymlinks: false, persistent: true } }] }));
  assert.deepEqual(c.apps[0]!.watch_options, { usePolling: true, interval: 100, followSymlinks: false, persistent: true });
  assert.match(c.warnings![0]!.message, /5 ms is raised to 100 ms/);
  const lines = await refusal({ apps: [{ name: 'a', script: 'app.js', watch_options: { ignored: 'x', cwd: '/', ignoreInitial: false, usePolling: 'yes' } }] });
  assert.deepEqual(lines.map((l) => l.split(':')[0]).sort(), ['apps[0].watch_options.cwd', 'apps[0].watch_options.ignoreInitial', 'apps[0].watch_options.ignored', 'apps[0].watch_options.usePolling']);
  assert.ok(lines.some((l) => l.includes('use "ignore_watch"')));
});

test('cron_restart and log_date_format are checked; 0 or false turn cron off; autostart false is refused', async () => {
  const lines = await refusal({ apps: [{ name: 'a', script: 'app.js', cron_restart: '61 * * * *', log_date_format: 'YYYY-MM-DD X' }, { name: 'b', script: 'app.js', autostart: false }] });
  assert.ok(lines.some((l) => /^apps\[0\]\.cron_restart: expected a cron pattern like "0 3 \* \* \*" .*minute: 61/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^apps\[0\]\.log_date_format: .*token "X" is not supported/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^apps\[1\]\.autostart: expected true/.test(l)), lines.join('\n'));
  const c = await load(JSON.stringify({ apps: [{ name: 'a', script: 'app.js', cron_restart: 0, autostart: true, time: true, log_date_format: 'YYYY-MM-DD HH:mm Z' }] }));
  assert.equal(c.apps[0]!.cron_restart, null);
  assert.equal(c.apps[0]!.log_date_format, 'YYYY-MM-DD HH:mm Z');
  assert.deepEqual(c.warnings, []);
});

test('YAML files and .json files with comments, trailing commas and unquoted keys load; errors name the line, not the text', async () => {
  const yaml = await load('apps:\n  - script: ./app.js\n    name: web\n    instances: max\n    env:\n  - script: app.js\n    node_args: --expose-gc\n', 'ecosystem.yml');
  assert.deepEqual(yaml.apps.map((a) => [a.name, a.instances]), [['web', cpus], ['app', 1]]);
  assert.deepEqual(yaml.apps[1]!.interpreter_args, ['--expose-gc']);
  const json5 = await load("{\n  // PM2 evaluates .json as JavaScript\n  apps: [{ name: 'a', script: 'app.js', },],\n}\n");
  assert.equal(json5.apps[0]!.name, 'a');
  await assert.rejects(load('apps:\n  - script: app.js\n   name: secret-text\n', 'bad.yaml'), (e: Error) => /bad\.yaml: invalid YAML at line 3, column \d+:/.test(e.message) && !e.message.includes('secret-text'));
  await assert.rejects(load('{ "apps": [ secret-text ] }'), (e: Error) => /invalid JSON at line 1, column 13/.test(e.message) && !e.message.includes('secret-text'));
});

test('append_env_to_name appends the --env name; env_file (a string, not a block) is ignored with a warning', async () => {
  const c = await load(JSON.stringify({ apps: [{ name: 'api', script: 'app.js', append_env_to_name: true, env_production: { A: 1 }, env_file: '.env' }] }), 'ecosystem.json', 'production');
  assert.equal(c.apps[0]!.name, 'api-production');
  assert.match(c.warnings!.find((w) => w.path === 'apps[0].env_file')!.message, /no \.env file is read/);
});
