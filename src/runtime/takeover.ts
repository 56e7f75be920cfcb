// The new master's half of `supervisor upgrade`: a daemon started by the running master with
// its listening sockets (fds 4..) and config files (the handoff). It runs every app of every
// file on those sockets beside the old master, reports ready, and at the old master's word
// (or when the old master is gone) moves the control socket and the pidfile to itself. If it
// cannot start everything, it stops what it started, says why, and exits: the old master
// goes on as before.
import { rmSync } from 'node:fs';
import { loadConfigIsolated } from '../config/load-isolated.js';
import { bootMaster, type BootedMaster } from '../master/boot.js';
import { isUpgradeMessage, type Handoff, type UpgradeMessage } from '../protocol/upgrade.js';
import { daemonBootOptions, openDaemonLog, type DaemonOptions } from './daemon.js';
import { ensureHome } from './home.js';
import { releasePidfile, replacePidfile } from './pidfile.js';
import { RUNNING_VERSION } from './versions.js';
import { upgradedRecordsFile } from './worker-pids.js';

// How long the new master waits for the old one's word once it reported ready.
const TAKE_OVER_WAIT_MS = 30_000;

function say(message: UpgradeMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

// Resolves when the old master says take-over, its channel closes (it died) or `ms` passed.
function oldMastersWord(ms: number): Promise<'take-over' | 'gone' | 'late'> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve('gone');
    const timer = setTimeout(() => finish('late'), ms);
    const onMessage = (raw: unknown) => {
      if (isUpgradeMessage(raw) && raw.type === 'supervisor:take-over') finish('take-over');
    };
    const onGone = () => finish('gone');
    const finish = (how: 'take-over' | 'gone' | 'late') => {
      clearTimeout(timer);
      process.off('message', onMessage);
      process.off('disconnect', onGone);
      resolve(how);
    };
    process.on('message', onMessage);
    process.once('disconnect', onGone);
  });
}

// Runs the new master until it is stopped; resolves with its exit code.
export async function runTakeover(opts: DaemonOptions, handoff: Handoff): Promise<number> {
  const paths = ensureHome(opts.home);
  const { sink, log, close } = openDaemonLog(paths.masterLog, opts.jsonLogs);
  const recordsFile = upgradedRecordsFile(paths.pids);
  const fail = async (message: string) => {
    log('error', `upgrade: the new master (pid ${process.pid}, version ${RUNNING_VERSION}) did not start: ${message}`);
    await say({ type: 'supervisor:upgrade-failed', message });
    if (process.connected) process.disconnect();
    rmSync(recordsFile, { force: true });
    await close();
    return 1;
  };
  const [first, ...others] = handoff.configs;
  const loaded = await loadConfigIsolated(first!.file, { env: first!.env, insecure: opts.insecureConfig });
  if (!loaded.ok) return fail(loaded.error.message);
  process.chdir('/');
  process.umask(opts.umask);
  log('info', `upgrade: master pid ${process.pid} (version ${RUNNING_VERSION}) starting beside pid ${handoff.from} (version ${handoff.fromVersion}) with ${handoff.sockets.length} inherited socket(s)`);
  let booted: BootedMaster;
  try {
    booted = await bootMaster({
      ...daemonBootOptions(opts, paths, sink, first!.file, loaded.config, first!.env),
      replacing: { from: handoff.from, sockets: handoff.sockets, metrics: handoff.metrics, recordsFile },
      progress: (line) => void say({ type: 'supervisor:upgrade-progress', line }),
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  let problem = booted.started.ok ? null : booted.started.message;
  for (const c of others) {
    if (problem !== null) break;
    const o = await booted.master.start(c.file, { env: c.env });
    if (!o.ok) problem = `${c.file}: ${o.message}`;
  }
  // What the old master's operator changed by hand stays as it was: a scaled app, a stopped one.
  for (const s of problem === null ? handoff.scaled : []) {
    const o = await booted.master.scale(s.app, s.instances);
    if (!o.ok) problem = `scale ${s.app} to ${s.instances}: ${o.message}`;
  }
  for (const app of problem === null ? handoff.stopped : []) await booted.master.stop(app);
  if (problem !== null) {
    booted.master.shutdown('upgrade failed');
    await booted.done;
    return fail(problem);
  }
  await say({ type: 'supervisor:upgrade-ready', pid: process.pid, version: RUNNING_VERSION });
  const word = await oldMastersWord(TAKE_OVER_WAIT_MS);
  if (word === 'late') {
    booted.master.shutdown('the old master did not hand over');
    await booted.done;
    return fail(`the old master (pid ${handoff.from}) did not hand over within ${TAKE_OVER_WAIT_MS / 1000} s`);
  }
  booted.takeOver();
  replacePidfile(paths.pidfile);
  await say({ type: 'supervisor:took-over' });
  if (process.connected) process.disconnect();
  log('info', word === 'gone'
    ? `upgrade: the old master (pid ${handoff.from}) is gone; master pid ${process.pid} took over`
    : `upgrade: master pid ${process.pid} (version ${RUNNING_VERSION}) took over from pid ${handoff.from}`);
  await booted.done;
  releasePidfile(paths.pidfile);
  rmSync(recordsFile, { force: true });
  log('info', `daemon master pid ${process.pid} exiting`);
  await close();
  return 0;
}
