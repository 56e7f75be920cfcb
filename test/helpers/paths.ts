// Paths the tests use: the repo root, the built CLI, the fixture workers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root (tests run from dist/test/...).
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// The built CLI entry.
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');
// A fixture worker script by file name.
export const fixture = (name: string): string => path.join(ROOT, 'test/fixtures', name);
