// /healthz's probe: healthy while the master's loop answers a status request in time,
// unhealthy (with the reason) when the loop is stuck.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probe } from '../../../src/metrics/attach.js';
import type { StatusReport } from '../../../src/master/status.js';

test('a loop that answers is healthy; a stuck one is not, and the reason says so', async () => {
  const answering = { lastTurnAt: Date.now(), status: () => Promise.resolve({ pid: 1, apps: [], configs: [] } as StatusReport) };
  assert.equal(await probe(answering, 200), null);
  const stuck = { lastTurnAt: Date.now() - 5000, status: () => new Promise<StatusReport>(() => undefined) };
  assert.match((await probe(stuck, 100)) ?? '', /did not answer within 100 ms \(last turn \d+ ms ago\)/);
});
