// PM2 keys that change what runs, seen on real workers: cron_restart rolls the app on its
// schedule (a per-second one here), gracefully and scoped to that app; instance_var and
// increment_var put the worker id where PM2 puts it; log_file and log_date_format shape the logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { environ, workersOf } from '../helpers/workers.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';
import { freePort } from '../helpers/http.js';

test('cron_restart "* * * * * *" rolls the app every second, gracefully, and only that app', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [
    { name: 'ticker', script: fixture('sleeper.sh'), instances: 2, cron_restart: '* * * * * *', kill_timeout: 5000 },
    { name: 'steady', script: fixture('sleeper.sh') },
  ] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'ticker' });
    await m.waitForEvent({ event: 'reload-started', app: 'ticker', reason: /^cron_restart "\* \* \* \* \* \*"$/ }, { timeoutMs: 20_000 });
    await m.waitForEvent({ event: 'reload-done', app: 'ticker', generation: 3 }, { timeoutMs: 30_000 });
    // Rolling: every old worker left as "draining"/"stopping" after its replacement was ready, never a crash.
    assert.equal(m.countEvents({ event: 'worker-exit', app: 'ticker', outcome: 'crash' }), 0);
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'steady' }), 0, 'the other app is not touched');
  } finally {
    await stopMaster(m);
  }
});

test('instance_var and increment_var: the worker id in INSTANCE_ID, PORT counting up from the app\'s value', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const base = await freePort();
  const file = writeConfig(dir, { apps: [
    { name: 'api', script: fixture('sleeper.sh'), instances: '3', instance_var: 'INSTANCE_ID', increment_var: 'PORT', env: { PORT: 4000 } },
    { name: 'plain', script: fixture('sleeper.sh'), port: base },
  ] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'api' });
    await m.waitForEvent({ event: 'app-started', app: 'plain' });
    let seen: string[] = [];
    await waitFor('3 api workers and 1 plain worker with their variables', () => {
      seen = workersOf(m.pid).map((w) => {
        const env = environ(w.pid) ?? {};
        return `${w.app}#${w.slot} INSTANCE_ID=${env.INSTANCE_ID ?? '-'} NODE_APP_INSTANCE=${env.NODE_APP_INSTANCE ?? '-'} PORT=${env.PORT ?? '-'}`;
      }).sort();
      return seen.length === 4;
    });
    assert.deepEqual(seen, [
      'api#0 INSTANCE_ID=0 NODE_APP_INSTANCE=- PORT=4000',
      'api#1 INSTANCE_ID=1 NODE_APP_INSTANCE=- PORT=4001',
      'api#2 INSTANCE_ID=2 NODE_APP_INSTANCE=- PORT=4002',
      `plain#0 INSTANCE_ID=- NODE_APP_INSTANCE=0 PORT=${base}`,
    ]);
  } finally {
    await stopMaster(m);
  }
});

test('log_file is a combined log of stdout and stderr; log_date_format stamps lines as PM2 does', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const script = path.join(dir, 'talker.js');
  writeFileSync(script, "console.log('hello-out'); console.error('hello-err'); setInterval(() => {}, 1000); process.on('SIGTERM', () => process.exit(0));\n");
  const file = writeConfig(dir, { apps: [{ name: 'talker', script, log_file: 'combined.log', out_file: 'out.log', error_file: 'err.log', log_date_format: 'YYYY-MM-DD HH:mm:ss Z' }] });
  const m = startMaster(['run', file]);
  const read = (name: string) => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : '');
  try {
    await m.waitForEvent({ event: 'app-started', app: 'talker' });
    await waitFor('both lines in the combined log', () => read('combined.log').includes('hello-out') && read('combined.log').includes('hello-err'));
    // The test master runs with --json-logs: each line is an object with its time.
    const lines = (name: string) => read(name).trim().split('\n').map((l) => JSON.parse(l) as { time: string; message: string; stream: string });
    const stamp = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/;
    assert.deepEqual(lines('out.log').map((l) => l.message), ['hello-out']);
    assert.deepEqual(lines('err.log').map((l) => l.message), ['hello-err']);
    assert.deepEqual(lines('combined.log').map((l) => l.message).sort(), ['hello-err', 'hello-out']);
    for (const l of [...lines('out.log'), ...lines('combined.log')]) assert.match(l.time, stamp);
  } finally {
    await stopMaster(m);
  }
});

test('watch_options reach chokidar: with depth 0 and polling, a nested change does not roll the app, a top-level one does', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const src = path.join(dir, 'src');
  mkdirSync(path.join(src, 'deep', 'er'), { recursive: true });
  const file = writeConfig(dir, { apps: [{ name: 'w', script: fixture('sleeper.sh'), min_uptime: 150, kill_timeout: 2000, watch: ['src'], watch_delay: 300, watch_options: { usePolling: true, interval: 100, binaryInterval: 100, depth: 0 } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'w' });
    await m.waitForEvent({ event: 'log', message: /^app w: watching .*src/ });
    // The nested one first: had it counted, it would be the logged trigger.
    writeFileSync(path.join(src, 'deep', 'er', 'nested.js'), 'x');
    const top = path.join(src, 'top.js');
    writeFileSync(top, 'x');
    const started = await m.waitForEvent({ event: 'reload-started', app: 'w', from: 1, to: 2 });
    assert.equal(started.reason, `watch: ${top}`);
  } finally {
    await stopMaster(m);
  }
});
