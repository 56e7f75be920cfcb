import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { cgroupCpuLimit, defaultSurge, parseCfs, parseCpuMax, surgeFor, usableCpus, type ReadText } from '../../../src/master/cpu-budget.js';

const files = (map: Record<string, string>): ReadText => (file) => map[file] ?? null;

test('cpu.max and the v1 quota files turn into CPUs; no limit is null', () => {
  assert.equal(parseCpuMax('200000 100000\n'), 2);
  assert.equal(parseCpuMax('150000 100000'), 1.5);
  assert.equal(parseCpuMax('max 100000\n'), null);
  assert.equal(parseCfs('-1\n', '100000\n'), null);
  assert.equal(parseCfs('50000\n', '100000\n'), 0.5);
  assert.equal(parseCpuMax('garbage'), null);
});

test('cgroup v2: the smallest quota on the path from the master\'s cgroup up to the root wins', () => {
  const read = files({
    '/proc/self/cgroup': '0::/system.slice/app.service\n',
    '/sys/fs/cgroup/system.slice/app.service/cpu.max': 'max 100000\n',
    '/sys/fs/cgroup/system.slice/cpu.max': '300000 100000\n',
    '/sys/fs/cgroup/cpu.max': 'max 100000\n',
  });
  assert.equal(cgroupCpuLimit(read), 3);
});

test('cgroup v1: cpu,cpuacct hierarchy quota / period', () => {
  const read = files({
    '/proc/self/cgroup': '4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n',
    '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us': '100000\n',
    '/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us': '100000\n',
  });
  assert.equal(cgroupCpuLimit(read), 1);
});

test('no cgroup file, or no quota anywhere: no limit', () => {
  assert.equal(cgroupCpuLimit(files({})), null);
  assert.equal(cgroupCpuLimit(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000' })), null);
});

test('the default surge is about half the usable CPUs, at least 1; a quota caps the affinity count', () => {
  assert.equal(usableCpus(8, null), 8);
  assert.equal(usableCpus(8, 2.5), 2.5);
  assert.equal(usableCpus(2, 16), 2);
  assert.deepEqual([0.5, 1, 1.5, 2, 3, 4, 8, 64].map(surgeFor), [1, 1, 1, 1, 1, 2, 4, 32]);
  assert.ok(defaultSurge() >= 1 && defaultSurge() <= Math.max(1, os.availableParallelism()));
});
