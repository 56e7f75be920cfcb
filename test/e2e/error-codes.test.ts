// Outcomes keep their type end to end (bug 5): every error code of src/protocol/codes.ts is
// produced by a real master and passed through the control socket unchanged; the CLI maps it
// to its documented exit code. (E_TIMEOUT and E_INTERNAL: test/unit/master/control-server.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { request } from '../../src/cli/control-client.js';
import { ERROR_CODES, type ErrorCode } from '../../src/protocol/codes.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { cli } from '../helpers/cli.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { socketOf } from '../helpers/control.js';
import { waitFor } from '../helpers/wait.js';

const job = (dir: string, name: string, extra: Record<string, unknown> = {}) => ({
  name, script: fixture('job-worker.mjs'), args: [dir], wait_ready: true, listen_timeout: 1500, kill_timeout: '5s', env: { JOB_LOG: path.join(dir, `${name}.log`) }, ...extra,
});

// Sends one raw line and returns the final answer.
function rawRequest(sock: string, line: string): Promise<{ v: number; ok: boolean; code?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(sock);
    let text = '';
    s.on('data', (d) => (text += d));
    s.on('error', reject);
    s.on('end', () => resolve(JSON.parse(text.trim().split('\n').pop()!)));
    s.end(line + '\n');
  });
}

test('every error code is produced by a real master and reaches the CLI with its exit code', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const file = writeConfig(dir, { apps: [job(dir, 'jobs'), job(dir, 'deaf', { script: fixture('ignores-shutdown.mjs'), kill_timeout: '20s' })] });
  const m = startMaster(['run', file]);
  const produced = new Map<string, string>();
  const expect = async (code: ErrorCode, res: Promise<{ ok: boolean; code?: string; message?: string }>) => {
    const r = await res;
    assert.equal(r.ok, false, `${code}: ${r.message}`);
    assert.equal(r.code, code, r.message);
    produced.set(code, r.message ?? '');
  };
  const sock = socketOf(m.home);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'jobs' });
    await m.waitForEvent({ event: 'app-started', app: 'deaf' });
    await expect('E_VERSION', rawRequest(sock, JSON.stringify({ v: 2, id: 7, verb: 'status', args: {} })));
    await expect('E_BAD_REQUEST', rawRequest(sock, 'not json'));
    await expect('E_TOO_LARGE', rawRequest(sock, JSON.stringify({ v: 1, id: 3, verb: 'status', args: { pad: 'x'.repeat(1_100_000) } })));
    await expect('E_BAD_REQUEST', request(sock, 'scale', { app: 'jobs', instances: -1 }));
    await expect('E_UNKNOWN_APP', request(sock, 'reload', { app: 'nope' }));

    // A config error whose text happens to read like "unknown app" is still E_CONFIG (no regex over messages).
    writeConfig(dir, { apps: [job(dir, 'jobs', { instances: 'is not in' }), job(dir, 'deaf', { script: fixture('ignores-shutdown.mjs'), kill_timeout: '20s' })] });
    await expect('E_CONFIG', request(sock, 'reload', { app: 'jobs' }));
    const viaCli = await cli(m.home, ['reload', 'jobs']);
    assert.equal(viaCli.code, exitCodeOf('E_CONFIG'), viaCli.stderr);
    assert.equal(viaCli.code, 2, 'a config that does not load is a usage error (2), as for start and check');

    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      writeConfig(dir, { apps: [job(dir, 'jobs', { listen: `tcp://127.0.0.1:${port}` }), job(dir, 'deaf', { script: fixture('ignores-shutdown.mjs'), kill_timeout: '20s' })] });
      await expect('E_BIND', request(sock, 'reload', { app: 'jobs' }));
    } finally {
      busy.close();
    }

    writeConfig(dir, { apps: [job(dir, 'jobs', { env: { JOB_LOG: path.join(dir, 'jobs.log'), NEVER_READY: '1' } }), job(dir, 'deaf', { script: fixture('ignores-shutdown.mjs'), kill_timeout: '20s' })] });
    await expect('E_ABORTED', request(sock, 'reload', { app: 'jobs' }));

    const crashing = writeConfig(dir, { apps: [{ name: 'boom', script: fixture('crash-at-boot.mjs'), args: [dir], start_retries: 1, min_uptime: 500 }] }, 'boom.json');
    await expect('E_FATAL', request(sock, 'start', { config: crashing }));
    // `supervisor run` keeps its pid: no upgrade there (the daemon's: test/e2e/upgrade.test.ts).
    await expect('E_UPGRADE', request(sock, 'upgrade', {}));

    // deaf ignores finish-and-exit: while it stops (20 s kill_timeout) it cannot be scaled.
    void request(sock, 'stop', { app: 'deaf' }).catch(() => undefined);
    await waitFor('deaf stopping', async () => ((await request(sock, 'status')).data as { apps: { name: string; status: string }[] }).apps.find((a) => a.name === 'deaf')?.status === 'stopping');
    await expect('E_BUSY', request(sock, 'scale', { app: 'deaf', instances: 2 }));

    // SIGTERM: the master stops its apps (deaf takes its kill_timeout); meanwhile requests are refused.
    m.signal('SIGTERM');
    await waitFor('the master stopping', () => m.lines.some((l) => /stopping all apps \(SIGTERM\)/.test(l)));
    await expect('E_SHUTTING_DOWN', request(sock, 'reload', {}));
  } finally {
    m.signal('SIGQUIT');
    await stopMaster(m);
  }
  const missing = ERROR_CODES.filter((c) => !produced.has(c) && c !== 'E_TIMEOUT' && c !== 'E_INTERNAL');
  assert.deepEqual(missing, [], 'every code but E_TIMEOUT and E_INTERNAL was produced here');
});
