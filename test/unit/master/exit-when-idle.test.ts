// When --exit-when-idle considers the master idle: nothing runs any more and some app is fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleBecauseFatal, someAppRuns } from '../../../src/master/exit-when-idle.js';
import type { AppStatusReport, StatusReport } from '../../../src/master/status.js';

const report = (...statuses: AppStatusReport['status'][]): StatusReport => ({
  pid: 1,
  configs: [],
  apps: statuses.map((status, i) => ({ name: `a${i}`, status, state: 'running', generation: 1, instances: 1, file_instances: 1, config_file: '/x', fatal_reason: null, workers: [] })),
});

test('idle only when no app runs or reloads and at least one is fatal', () => {
  assert.equal(idleBecauseFatal(report('fatal', 'fatal')), true);
  assert.equal(idleBecauseFatal(report('fatal', 'stopped')), true, 'an app stopped on purpose does not keep the pod alive');
  assert.equal(idleBecauseFatal(report('fatal', 'running')), false);
  assert.equal(idleBecauseFatal(report('fatal', 'reloading')), false);
  assert.equal(idleBecauseFatal(report('stopped', 'stopped')), false, 'nothing fatal: stopped on purpose');
  assert.equal(idleBecauseFatal(report()), false);
  assert.equal(someAppRuns(report('stopping', 'fatal')), false);
});
