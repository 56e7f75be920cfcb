// The default metrics port is a guess, not the user's choice: a second, independent master on
// the same host (another user, another project) starts anyway, logs one warning with the fix,
// and `status` shows its metrics as off. A port the user set stays an error when it is taken.
// Both masters share one network namespace of their own ({ netns: true }), so no test here
// depends on the host's port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS } from '../../src/config/defaults.js';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { canUseNetns, listeningAddresses } from '../helpers/procs.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const noNetns = !canUseNetns() && 'needs a network namespace of its own (root and unshare -n): the masters bind the default metrics port';
const DEFAULT_ADDRESS = `${DEFAULTS.metrics.host}:${DEFAULTS.metrics.port}`;

// A config with no "metrics" key: what a user writes first.
function defaultConfig(dir: string, name: string, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ apps: [{ name, script: fixture('sleeper.sh'), min_uptime: 100, kill_timeout: 2000 }], ...extra }));
  return file;
}

test('two independent masters with default configs on one host both start; the second serves no metrics and says why', { skip: noNetns, timeout: 60_000 }, async () => {
  const dir = tempDir();
  const first = startMaster(['run', defaultConfig(dir, 'one')], {}, { netns: true });
  let second: ReturnType<typeof startMaster> | null = null;
  try {
    await first.waitForEvent({ event: 'app-started', app: 'one' });
    await first.waitForEvent({ event: 'log', message: /^metrics: serving http:\/\/127\.0\.0\.1:\d+\/metrics/ });
    assert.ok(listeningAddresses(first.pid).includes(DEFAULT_ADDRESS));
    second = startMaster(['run', defaultConfig(dir, 'two')], {}, { netnsOf: first.pid });
    await second.waitForEvent({ event: 'app-started', app: 'two' });
    const warnings = second.events.filter((e) => e.level === 'warn' && e.message.includes(`the default address ${DEFAULT_ADDRESS} is in use`));
    assert.equal(warnings.length, 1, second.lines.join('\n'));
    assert.match(warnings[0]!.message, new RegExp(`set "metrics": \\{ "port": <a free port> \\} in ${path.join(dir, 'two.json')}`), 'the warning says what to change, and where');
    assert.equal(second.countEvents({ level: 'error' }), 0, 'no error: the master started');
    const status = await cli(second.home, ['status', '--json']);
    assert.deepEqual(JSON.parse(status.stdout).metrics, { state: 'off', url: null, problem: warnings[0]!.message });
    const table = await cli(second.home, ['status']);
    assert.match(table.stdout, new RegExp(`^metrics: off: metrics: the default address ${DEFAULT_ADDRESS} is in use`, 'm'));
    assert.equal((await cli(second.home, ['reload'])).code, 0);
    assert.equal(second.countEvents({ level: 'warn', message: new RegExp(`the default address ${DEFAULT_ADDRESS} is in use`) }), 1, 'one warning, not one per reload');
    const served = JSON.parse((await cli(first.home, ['status', '--json'])).stdout).metrics;
    assert.deepEqual(served, { state: 'on', url: `http://${DEFAULT_ADDRESS}/metrics`, problem: null });
  } finally {
    if (second) await stopMaster(second);
    await stopMaster(first);
  }
});

test('a metrics port the user set is still an error when it is taken, even the default number', { skip: noNetns, timeout: 60_000 }, async () => {
  const dir = tempDir();
  const first = startMaster(['run', defaultConfig(dir, 'one')], {}, { netns: true });
  try {
    await first.waitForEvent({ event: 'app-started', app: 'one' });
    const explicit = startMaster(['run', defaultConfig(dir, 'two', { metrics: { port: DEFAULTS.metrics.port } })], {}, { netnsOf: first.pid });
    const result = await explicit.exited;
    assert.equal(result.code, 1, explicit.lines.join('\n'));
    assert.ok(explicit.findEvent({ level: 'error', message: new RegExp(`metrics endpoint: ${DEFAULT_ADDRESS} is already in use`) }), explicit.lines.join('\n'));
    assert.ok(explicit.findEvent({ level: 'error', message: /^start failed:/ }));
  } finally {
    await stopMaster(first);
  }
});
