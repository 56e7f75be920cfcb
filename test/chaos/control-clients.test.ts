// Scenario I4: clients of the control socket that a hostile or unlucky user runs. Clients that
// hang up without reading (also after timing out against a stopped master), endless request
// lines, thousands of idle connections under a lowered fd limit, and requests that break the
// protocol's schema. The master keeps running, keeps its workers, and its RSS and fds return.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { startMaster, stopMaster, type MasterProcess } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { cli } from '../helpers/cli.js';
import { socketOf } from '../helpers/control.js';
import { request } from '../../src/cli/control-client.js';
import { fdCount, hangUpAfterSending, idleConnections, sendLongLine } from '../helpers/control-raw.js';
import { waitFor } from '../helpers/wait.js';
import { workersOf } from '../helpers/workers.js';
import { mb, rssOf, sampleRss } from '../helpers/rss.js';
import { report, scale } from '../helpers/chaos.js';

const WORKERS = 2;

async function sleepersMaster(): Promise<{ m: MasterProcess; sock: string; pids: number[] }> {
  const dir = tempDir('gs-chaos-clients-');
  const file = writeConfig(dir, { apps: [{ name: 'w', script: fixture('sleeper.sh'), instances: WORKERS, kill_timeout: '2s' }] });
  const m = startMaster(['run', file]);
  await m.waitForEvent({ event: 'app-started', app: 'w' }, { timeoutMs: 20_000 });
  return { m, sock: socketOf(m.home), pids: workersOf(m.pid).map((w) => w.pid).sort() };
}

// The master still answers and runs the very same workers.
async function assertUnharmed(m: MasterProcess, sock: string, pids: number[]): Promise<void> {
  assert.equal(m.child.exitCode, null, 'the master is running');
  assert.equal((await request(sock, 'ping', {}, undefined, 10_000)).ok, true, 'the master answers');
  assert.deepEqual(workersOf(m.pid).map((w) => w.pid).sort(), pids, '0 workers lost');
}

test('clients that hang up without reading, also after timing out against a stopped master', { timeout: 120_000 }, async () => {
  const hangups = scale(50, 5);
  const timeouts = scale(50, 10);
  const { m, sock, pids } = await sleepersMaster();
  try {
    const rss0 = rssOf(m.pid)!;
    const fds0 = fdCount(m.pid)!;
    for (let i = 0; i < hangups; i++) {
      assert.equal(await hangUpAfterSending(sock, JSON.stringify({ v: 1, id: i + 1, verb: i % 2 ? 'ping' : 'status', args: {} }), 500), 0);
    }
    assert.equal(m.child.exitCode, null, 'the master survived clients that hung up');
    // The EPIPE variant: calls time out while the master is stopped; it answers them all at SIGCONT.
    m.signal('SIGSTOP');
    const stoppedCli = cli(m.home, ['status'], {}, 40_000);
    const timedOut = await Promise.allSettled(Array.from({ length: timeouts }, (_, i) => request(sock, i % 2 ? 'status' : 'ping', {}, undefined, 1000)));
    assert.ok(timedOut.every((r) => r.status === 'rejected'), 'every call timed out');
    const status = await stoppedCli;
    m.signal('SIGCONT');
    assert.equal(status.code, 6, `supervisor status against a stopped master exits 6 (timeout): ${status.stderr}`);
    assert.match(status.stderr, /status: the master did not answer within \d+ s/);
    await waitFor('the master to answer again', async () => (await request(sock, 'ping', {}, undefined, 5000)).ok, 20_000);
    await assertUnharmed(m, sock, pids);
    const fds1 = await waitFor('the fds back to the baseline', () => (fdCount(m.pid)! <= fds0 ? fdCount(m.pid) : null), 10_000);
    report({
      id: 'I4a',
      scenario: 'Control clients that hang up without reading',
      load: `${WORKERS} workers`,
      faults: `${hangups} clients send a request and close without reading (python3); ${timeouts} calls time out while the master is SIGSTOPped, then SIGCONT (EPIPE on every answer)`,
      lost: '0 workers',
      result: `master kept running; supervisor status against the stopped master exited 6 naming what it waited for; master RSS ${mb(rss0)} -> ${mb(rssOf(m.pid)!)}, fds ${fds0} -> ${fds1}`,
    });
  } finally {
    m.signal('SIGCONT');
    await stopMaster(m);
  }
});

test('endless request lines are cut at 1 MB with E_TOO_LARGE, and their memory is not kept', { timeout: 120_000 }, async () => {
  const { m, sock, pids } = await sleepersMaster();
  try {
    const rss0 = rssOf(m.pid)!;
    const rss = sampleRss(m.pid);
    const t0 = Date.now();
    const huge = await sendLongLine(sock, 600 * 1024 * 1024);
    assert.equal(m.child.exitCode, null, 'the master survived a 600 MB line');
    assert.ok(huge.closedByMaster, 'the master closed the connection');
    assert.match(huge.replies.at(-1) ?? '', /"code":"E_TOO_LARGE"/, `answered E_TOO_LARGE: ${huge.replies.join(' / ').slice(0, 300)}`);
    const big = await sendLongLine(sock, 100 * 1024 * 1024);
    assert.match(big.replies.at(-1) ?? '', /"code":"E_TOO_LARGE"/);
    const ms = Date.now() - t0;
    const peak = rss.stop();
    await assertUnharmed(m, sock, pids);
    const retained = await waitFor('the memory of the long lines released', () => {
      const now = rssOf(m.pid)!;
      return now - rss0 < 20 * 1024 * 1024 ? now : null;
    }, 20_000, 200);
    assert.ok(peak - rss0 < 50 * 1024 * 1024, `master RSS ${mb(rss0)} -> peak ${mb(peak)}: under +50 MB`);
    report({
      id: 'I4b',
      scenario: 'Endless control request lines',
      load: `${WORKERS} workers`,
      faults: 'one 600 MB and one 100 MB request line without a newline',
      lost: '0 workers',
      result: `each cut at 1 MB with E_TOO_LARGE and the connection closed (the clients got ${mb(huge.written)} and ${mb(big.written)} out before the close); master RSS ${mb(rss0)} -> peak ${mb(peak)} -> ${mb(retained)} after; ${(ms / 1000).toFixed(1)} s`,
    });
  } finally {
    await stopMaster(m);
  }
});

test('thousands of idle connections under a low fd limit: the master keeps its fds for spawning', { timeout: 180_000 }, async () => {
  const connections = scale(15_000, 1_500);
  const limit = 256;
  const { m, sock, pids } = await sleepersMaster();
  let idle: Awaited<ReturnType<typeof idleConnections>> | null = null;
  try {
    const lowered = spawnSync('prlimit', ['--pid', String(m.pid), `--nofile=${limit}:${limit}`], { timeout: 10_000 });
    assert.equal(lowered.status, 0, String(lowered.stderr));
    const fds0 = fdCount(m.pid)!;
    const rss0 = rssOf(m.pid)!;
    idle = await idleConnections(sock, connections);
    const peakFds = fdCount(m.pid)!;
    assert.ok(peakFds < limit / 2, `the master holds ${peakFds} fds with ${connections} idle clients (limit ${limit})`);
    // A reload needs fds for every new worker's pipes; a status needs a connection.
    const after = m.mark();
    const reload = await cli(m.home, ['reload']);
    assert.equal(reload.code, 0, `reload with the idle clients connected: ${reload.stderr}`);
    await m.waitForEvent({ event: 'reload-done', app: 'w' }, { after });
    const status = await cli(m.home, ['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(m.child.exitCode, null);
    const evicted = idle.closedByMaster();
    idle.close();
    const fds1 = await waitFor('the fds back to the baseline', () => (fdCount(m.pid)! <= fds0 ? fdCount(m.pid) : null), 20_000);
    const newPids = workersOf(m.pid).map((w) => w.pid);
    assert.equal(newPids.length, pids.length, '0 workers lost: every slot runs a worker of the new generation');
    report({
      id: 'I4c',
      scenario: 'Idle control connections under a low fd limit',
      load: `${WORKERS} workers`,
      faults: `${connections} idle connections, master fd limit ${limit}, then a reload`,
      lost: '0 workers',
      result: `master fds ${fds0} -> peak ${peakFds} -> ${fds1} (${evicted} idle connections closed by the master); reload and status answered; RSS ${mb(rss0)} -> ${mb(rssOf(m.pid)!)}`,
    });
  } finally {
    idle?.close();
    await stopMaster(m);
  }
});

// Requests that break the protocol's schema, each with the field it must name.
const BAD_REQUESTS: readonly [string, unknown, RegExp][] = [
  ['scale to 100000', { v: 1, id: 1, verb: 'scale', args: { app: 'w', instances: 100_000 } }, /args\.instances/],
  ['scale to -1', { v: 1, id: 1, verb: 'scale', args: { app: 'w', instances: -1 } }, /args\.instances/],
  ['scale to 2.5', { v: 1, id: 1, verb: 'scale', args: { app: 'w', instances: 2.5 } }, /args\.instances/],
  ['scale to "3"', { v: 1, id: 1, verb: 'scale', args: { app: 'w', instances: '3' } }, /args\.instances/],
  ['an app that is an object', { v: 1, id: 1, verb: 'reload', args: { app: { name: 'w' } } }, /args\.app/],
  ['an app name with a slash', { v: 1, id: 1, verb: 'stop', args: { app: '../w' } }, /args\.app/],
  ['an app name of 100 KB', { v: 1, id: 1, verb: 'describe', args: { app: 'w'.repeat(100_000) } }, /args\.app/],
  ['a config path with a NUL', { v: 1, id: 1, verb: 'start', args: { config: '/tmp/x\u0000.json' } }, /args\.config/],
  ['a relative config path', { v: 1, id: 1, verb: 'forget', args: { config: 'x.json' } }, /args\.config/],
  ['an env name with a space', { v: 1, id: 1, verb: 'start', args: { config: '/tmp/x.json', env: 'a b' } }, /args\.env/],
  ['an unknown argument', { v: 1, id: 1, verb: 'status', args: { all: true } }, /args\.all/],
  ['args that are a list', { v: 1, id: 1, verb: 'status', args: [] }, /args/],
  ['an id that is a string', { v: 1, id: '1', verb: 'ping', args: {} }, /id/],
  ['a negative id', { v: 1, id: -3, verb: 'ping', args: {} }, /id/],
  ['the verb "toString"', { v: 1, id: 1, verb: 'toString', args: {} }, /verb/],
  ['the verb "__proto__"', { v: 1, id: 1, verb: '__proto__', args: {} }, /verb/],
  ['a metrics format', { v: 1, id: 1, verb: 'metrics', args: { format: 'xml' } }, /args\.format/],
  ['an unknown top-level key', { v: 1, id: 1, verb: 'ping', args: {}, sudo: true }, /sudo/],
];

function rawAnswer(sock: string, line: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const s = net.connect(sock);
    let text = '';
    s.on('data', (d) => (text += d)).on('error', reject).on('end', () => {
      try {
        resolve(JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown>);
      } catch {
        reject(new Error(`not an answer: ${text.slice(0, 200)}`));
      }
    });
    s.end(line + '\n');
  });
}

test('every request is checked field by field against the protocol schema', { timeout: 60_000 }, async () => {
  const rounds = scale(20, 1);
  const { m, sock, pids } = await sleepersMaster();
  try {
    const fds0 = fdCount(m.pid)!;
    for (let round = 0; round < rounds; round++) {
      for (const [what, req, field] of BAD_REQUESTS) {
        const answer = await rawAnswer(sock, JSON.stringify(req));
        assert.equal(answer.code, 'E_BAD_REQUEST', `${what}: ${JSON.stringify(answer).slice(0, 300)}`);
        assert.match(String(answer.message), field, `${what}: the message names the field`);
      }
    }
    await assertUnharmed(m, sock, pids);
    assert.equal(workersOf(m.pid).length, WORKERS, 'no scale happened');
    report({
      id: 'I4d',
      scenario: 'Control requests that break the protocol schema',
      load: `${WORKERS} workers`,
      faults: `${rounds} x ${BAD_REQUESTS.length} requests (scale to 100000, -1, 2.5 or "3"; app names that are objects, paths or 100 KB; NUL in a path; unknown verbs, keys and arguments; bad ids)`,
      lost: '0 workers',
      result: `every one refused with E_BAD_REQUEST naming the field; nothing scaled; master fds ${fds0} -> ${fdCount(m.pid)}`,
    });
  } finally {
    await stopMaster(m);
  }
});
