// Writing ecosystem files into temp dirs for tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratch } from './harness.js';

// A fresh temp dir for one test, under the test's own dir (removed when the test ends).
export function tempDir(prefix = 'gs-test-'): string {
  return mkdtempSync(path.join(scratch(), prefix));
}

// Writes an ecosystem JSON file and returns its path. Metrics are off unless given.
export function writeConfig(dir: string, config: { apps: unknown[]; metrics?: unknown; watch_config?: boolean }, name = 'ecosystem.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ metrics: false, ...config }, null, 2));
  return file;
}
