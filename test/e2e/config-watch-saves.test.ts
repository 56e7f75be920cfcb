// Reload when the ecosystem file changes: every editor save style is seen (in-place write,
// atomic temp+rename, truncate-then-write, delete-and-recreate), each save is one reload, and
// a burst of saves is exactly one reload. Workers come back with the new env.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, ftruncateSync, renameSync, unlinkSync, writeSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { environ, workersOf } from '../helpers/workers.js';
import { RELOAD_STARTED } from '../helpers/log-events.js';

const configText = (value: string) => JSON.stringify({ metrics: false, watch_config: true, apps: [{ name: 'sh', script: fixture('sleeper.sh'), instances: 2, min_uptime: 150, kill_timeout: 2000, env: { SAVE: value } }] }, null, 2);

async function workersWith(masterPid: number, value: string, generation: number) {
  return waitFor(`2 workers of gen ${generation} with SAVE=${value}`, () => {
    const ws = workersOf(masterPid);
    return ws.length === 2 && ws.every((w) => w.generation === generation && environ(w.pid)?.SAVE === value) ? ws : null;
  });
}

test('each editor save style reloads once with the new env', { timeout: 40_000 }, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, configText('v1'));
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'sh' });
    const styles: [string, (text: string) => Promise<void> | void][] = [
      ['in-place write', (text) => writeFileSync(file, text)],
      ['atomic temp + rename', (text) => {
        writeFileSync(path.join(dir, '.ecosystem.json.swp'), text);
        renameSync(path.join(dir, '.ecosystem.json.swp'), file);
      }],
      ['truncate, then write', async (text) => {
        const fd = openSync(file, 'r+');
        ftruncateSync(fd, 0);
        await sleep(40); // the editor's gap between truncating and writing
        writeSync(fd, text);
        closeSync(fd);
      }],
      ['delete and recreate', async (text) => {
        const after = m.mark();
        unlinkSync(file);
        // A plain log line: the removal has no event of its own.
        await m.waitForEvent({ event: 'log', level: 'warn', message: /^config .* was removed; the apps keep running/ }, { after });
        writeFileSync(file, text);
      }],
    ];
    let generation = 1;
    for (const [style, save] of styles) {
      generation++;
      const after = m.mark();
      await save(configText(`v${generation}`));
      await m.waitForEvent({ event: 'reload-done', app: 'sh', generation }, { after }).catch((error: Error) => {
        throw new Error(`${style}: ${error.message}`);
      });
      await workersWith(m.pid, `v${generation}`, generation);
      assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'sh' }, after), 1, `${style}: exactly one reload`);
    }
  } finally {
    await stopMaster(m);
  }
});

test('a rapid burst of saves gives exactly one reload, with the last content', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const file = path.join(dir, 'ecosystem.json');
  writeFileSync(file, configText('start'));
  const m = startMaster(['run', file]);
  try {
    await m.waitForEvent({ event: 'app-started', app: 'sh' });
    for (let i = 0; i < 8; i++) {
      writeFileSync(file, configText(`burst-${i}`));
      await sleep(30); // an autosaving editor
    }
    await m.waitForEvent({ event: 'reload-done', app: 'sh', generation: 2 });
    await workersWith(m.pid, 'burst-7', 2);
    // A later save must be gen 3: had the burst caused a second reload, this would be gen 4.
    const after = m.mark();
    writeFileSync(file, configText('after'));
    const done = await m.waitForEvent({ event: 'reload-done', app: 'sh' }, { after });
    assert.equal(done.generation, 3);
    await workersWith(m.pid, 'after', 3);
    assert.equal(m.countEvents({ ...RELOAD_STARTED, app: 'sh', mode: 'rolling' }), 2, 'one reload for the burst, one for the later save');
  } finally {
    await stopMaster(m);
  }
});
