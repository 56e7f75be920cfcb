// The floor of a reload: `node -e 0`, a bare HTTP worker's spawn-to-listening time
// (bench/apps/bare-http.cjs, no supervisor), and our reload of one worker running that very
// file: from SIGHUP to the master's reload-done line (config read, spawn, ready, the old
// worker's exit), and the `supervisor reload` command's wall time (a Node CLI on top).
import { bootTime } from './boot-probe.js';
import { median } from './report.js';
import { ROOT, startOurs } from './subjects.js';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The floor's figures (medians, ms).
export interface Floor {
  readonly rounds: number;
  readonly nodeE0: number;
  readonly bareWorker: number;
  // SIGHUP to reload-done.
  readonly ourReload: number;
  readonly ourReloads: number[];
  readonly ourReloadCommand: number;
  // The same reloads with the config as .yaml, read by the loader child every time.
  readonly ourReloadYaml: number;
  readonly ourReloadYamlCommand: number;
}

const BARE = path.join(ROOT, 'bench/apps/bare-http.cjs');

// Measures each `rounds` times; the reloads come after the direct spawns, interleaved.
export async function measureFloor(rounds = Number(process.env.FLOOR_ROUNDS ?? 15)): Promise<Floor> {
  const env = { ...process.env, PORT: '0' };
  const nodeE0: number[] = [];
  const bare: number[] = [];
  const hupMs: number[] = [];
  const commandMs: number[] = [];
  const yamlHupMs: number[] = [];
  const yamlCommandMs: number[] = [];
  let done = 0;
  const oneWorker = (configName: string) =>
    startOurs(0, {
      name: 'one worker',
      script: BARE,
      instances: 1,
      ownPort: true,
      env: { PORT: '0' },
      configName,
      onLine: (line) => {
        if (/"event":"reload-done"/.test(line)) done++;
      },
    });
  const json = await oneWorker('ecosystem.json');
  const yaml = await oneWorker('ecosystem.yaml').catch(async (error: unknown) => {
    await json.stop();
    throw error;
  });
  // SIGHUP takes the same path as `supervisor reload`, without a CLI process.
  const hup = async (s: typeof json, into: number[]) => {
    const before = done;
    const t0 = performance.now();
    process.kill(s.pid, 'SIGHUP');
    for (let wait = 0; done === before && wait < 3000; wait++) await sleep(2);
    into.push(done === before ? NaN : performance.now() - t0);
  };
  try {
    for (let i = 0; i < rounds; i++) {
      nodeE0.push(await bootTime(process.execPath, ['-e', '0'], env, true));
      bare.push(await bootTime(process.execPath, [BARE], env));
      await hup(json, hupMs);
      await hup(yaml, yamlHupMs);
      commandMs.push((await json.reload()).wallMs);
      yamlCommandMs.push((await yaml.reload()).wallMs);
    }
  } finally {
    await json.stop();
    await yaml.stop();
  }
  return {
    rounds, nodeE0: median(nodeE0), bareWorker: median(bare), ourReload: median(hupMs), ourReloads: hupMs, ourReloadCommand: median(commandMs),
    ourReloadYaml: median(yamlHupMs), ourReloadYamlCommand: median(yamlCommandMs),
  };
}
