// Security S3: the metrics endpoint binds to loopback unless the config names another
// address. Read from the kernel (/proc/net/tcp*), not from the master's own log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { socketInodes } from '../helpers/procs.js';
import { startMaster, stopMaster } from '../helpers/master-process.js';
import { tempDir, writeConfig } from '../helpers/config.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/http.js';
import { report } from '../helpers/chaos.js';

// "a.b.c.d:port" of every IPv4 TCP socket in LISTEN state held by `pid` (IPv6 as "[v6]:port").
function listeningAddresses(pid: number): string[] {
  const mine = socketInodes(pid);
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !mine.has(f[9]!)) continue;
      const [hex, portHex] = f[1]!.split(':') as [string, string];
      const port = parseInt(portHex, 16);
      if (hex.length === 8) {
        const ip = [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
        found.push(`${ip}:${port}`);
      } else {
        found.push(`[${hex}]:${port}`);
      }
    }
  }
  return found;
}

async function boundAddress(metrics: Record<string, unknown>): Promise<string[]> {
  const dir = tempDir('gs-chaos-s3-');
  const file = writeConfig(dir, { metrics, apps: [{ name: 'idle', script: fixture('slow-boot.mjs'), args: [dir], instances: 1, wait_ready: true, env: { READY_DELAY_MS: '10' } }] });
  const m = startMaster(['run', file]);
  try {
    await m.waitForLine(/metrics: serving http:\/\/\S+\/metrics/);
    return listeningAddresses(m.pid);
  } finally {
    await stopMaster(m);
  }
}

test('the metrics endpoint listens on 127.0.0.1 by default and on 0.0.0.0 only when configured', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const byDefault = await boundAddress({ port });
  assert.deepEqual(byDefault, [`127.0.0.1:${port}`], 'only loopback without a host');
  const other = await freePort();
  const configured = await boundAddress({ host: '0.0.0.0', port: other });
  assert.deepEqual(configured, [`0.0.0.0:${other}`], 'every address when configured');
  report({
    id: 'S3',
    scenario: 'Metrics endpoint address',
    load: '1 worker',
    faults: 'none (bound address read from /proc/net/tcp)',
    lost: 'none',
    result: 'binds 127.0.0.1 by default; 0.0.0.0 only with metrics.host "0.0.0.0"; the master listens on nothing else',
  });
});
