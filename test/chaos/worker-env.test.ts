// Security S4: a daemon-started worker's environment (read from /proc/PID/environ) holds the
// launching shell's variables, the app's env and the variables docs/protocols.md documents,
// and none of the supervisor's internal ones: SUPERVISOR_INTERNAL_* (the daemon marker),
// NODE_CHANNEL_* (the daemon's IPC with its launcher), NOTIFY_SOCKET, or LISTEN_* it inherited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { killDaemon, pidfilePid } from '../helpers/daemon.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/http.js';
import { environ, workersOf } from '../helpers/workers.js';
import { report } from '../helpers/chaos.js';
import { socketInodeAt, socketInodes } from '../helpers/procs.js';
import { spawnSync } from 'node:child_process';

// The peer of a connected Unix socket (by inode), from `ss -x`; null when not found.
function unixPeer(inode: string): string | null {
  const out = spawnSync('ss', ['-xa'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[5] === inode) return f[7] ?? null;
  }
  return null;
}

// docs/protocols.md, "Environment".
// SUPERVISOR_CLUSTER: cluster-mode Node workers (the plain app, `instances` on a Node script).
const DOCUMENTED = ['SUPERVISOR_APP', 'SUPERVISOR_WORKER_ID', 'SUPERVISOR_GENERATION', 'SUPERVISOR_READY_FD', 'NODE_APP_INSTANCE', 'SUPERVISOR_CLUSTER', 'NODE_COMPILE_CACHE'];
const LISTEN = ['LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES'];
const INTERNAL = /^(SUPERVISOR_INTERNAL_|NOTIFY_SOCKET$)/;
// Node's own IPC variables: a worker has them only for its own channel to the master.
const CHANNEL = ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE'];

test('a daemon-started worker gets no internal variable of the supervisor', { timeout: 30_000 }, async () => {
  const dir = tempDir('gs-chaos-s4-');
  const home = path.join(dir, 'home');
  const port = await freePort();
  const appEnv = { APP_SETTING: 'yes', ENV_OUT: dir, CONN_LOG: path.join(dir, 'conns.log') };
  const file = writeConfig(dir, {
    apps: [
      { name: 'plain', script: fixture('env-reporter.mjs'), args: [dir], instances: 1, wait_ready: true, env: appEnv },
      { name: 'web', script: fixture('conn-http-worker.mjs'), args: [dir], instances: 1, wait_ready: true, listen: [`tcp://127.0.0.1:${port}`], env: appEnv },
    ],
  });
  // The launching shell carries variables that look like ours; none may reach a worker.
  const shell = { SUPERVISOR_INTERNAL_PROBE: 'leak', NOTIFY_SOCKET: '/run/probe.sock', LISTEN_FDS: '7', LISTEN_PID: '1', LISTEN_FDNAMES: 'probe' };
  try {
    const started = await cli(home, ['start', file], shell);
    assert.equal(started.code, 0, started.stderr);
    const master = pidfilePid(home)!;
    const masterEnv = environ(master)!;
    assert.ok(Object.keys(masterEnv).some((k) => k.startsWith('NODE_CHANNEL_')), 'the daemon itself was started with an IPC channel (so there is something to strip)');
    const launched: Record<string, string> = { ...(process.env as Record<string, string>), SUPERVISOR_HOME: home, ...shell };
    let checked = 0;
    for (const w of workersOf(master)) {
      const env = environ(w.pid)!;
      const internal = Object.keys(env).filter((k) => INTERNAL.test(k));
      assert.deepEqual(internal, [], `${w.app}: no internal variable`);
      // NODE_CHANNEL_FD must be the worker's own IPC socket, whose other end the master holds
      // (not the daemon's channel to its launcher, which the master had inherited).
      const channel = socketInodeAt(w.pid, env.NODE_CHANNEL_FD ?? '-');
      assert.ok(channel !== null, `${w.app}: NODE_CHANNEL_FD=${env.NODE_CHANNEL_FD} is a socket of the worker`);
      assert.ok(socketInodes(master).has(unixPeer(channel) ?? '-'), `${w.app}: its NODE_CHANNEL_FD is its own channel to the master`);
      const allowed = new Set([...DOCUMENTED, ...CHANNEL, ...Object.keys(appEnv), ...(w.app === 'web' ? LISTEN : [])]);
      const added = Object.keys(env).filter((k) => !(k in launched) && !allowed.has(k));
      assert.deepEqual(added, [], `${w.app}: nothing beyond the launching env, the app env and the documented variables`);
      // PWD: the /bin/sh exec wrapper of an app with `listen` sets it to the worker's cwd.
      const changed = Object.keys(env).filter((k) => k in launched && !allowed.has(k) && k !== 'PWD' && env[k] !== launched[k]);
      assert.deepEqual(changed, [], `${w.app}: the launching env passed through unchanged`);
      if (w.app === 'plain') assert.deepEqual(LISTEN.filter((k) => k in env), [], 'an app without listen gets no LISTEN_*');
      else {
        assert.equal(env.LISTEN_PID, String(w.pid), 'LISTEN_PID is the worker itself');
        assert.equal(env.LISTEN_FDS, '1');
        assert.equal(env.LISTEN_FDNAMES, `tcp-127.0.0.1-${port}`);
      }
      assert.equal(env.SUPERVISOR_APP, w.app);
      checked++;
    }
    assert.equal(checked, 2);
    assert.equal((await cli(home, ['stop'])).code, 0);
    report({
      id: 'S4',
      scenario: 'Worker environment',
      load: '2 daemon-started workers (one with a listen socket)',
      faults: 'launching shell sets SUPERVISOR_INTERNAL_PROBE, NOTIFY_SOCKET, LISTEN_FDS/PID/FDNAMES; the daemon has NODE_CHANNEL_*',
      lost: 'none',
      result: '/proc/PID/environ: no SUPERVISOR_INTERNAL_*, NOTIFY_SOCKET or inherited LISTEN_*; NODE_CHANNEL_FD only as the worker\'s own IPC socket to the master; nothing else added beyond the documented variables',
    });
  } finally {
    await killDaemon(home);
  }
});
