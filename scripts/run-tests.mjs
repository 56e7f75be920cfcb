#!/usr/bin/env node
// Runs the compiled tests with node's test runner. `--chaos` runs only the long chaos suite
// (CHAOS_FULL=1); without it, every *.test.js runs, chaos included in its short form.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const chaos = process.argv.includes('--chaos');
const root = path.resolve('dist/test');

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? find(p) : name.endsWith('.test.js') ? [p] : [];
  });
}

const files = find(chaos ? path.join(root, 'chaos') : root).sort();
const env = { ...process.env, ...(chaos ? { CHAOS_FULL: '1' } : {}) };
const args = ['--test', `--test-concurrency=${chaos ? 1 : 2}`, '--test-reporter=spec', ...files];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
