// Size-based rotation for hosts without logrotate: <file>.N-1 -> <file>.N, ..., <file> ->
// <file>.1, keeping `keep` old files. Asynchronous, so a slow disk never blocks the loop.
import { rename, unlink } from 'node:fs/promises';

const ignoreMissing = (error: NodeJS.ErrnoException) => {
  if (error.code !== 'ENOENT') throw error;
};

// Shifts the rotated files of `file` by one and moves `file` itself to `file.1`.
export async function rotateFiles(file: string, keep: number): Promise<void> {
  await unlink(`${file}.${keep}`).catch(ignoreMissing);
  for (let i = keep - 1; i >= 1; i--) await rename(`${file}.${i}`, `${file}.${i + 1}`).catch(ignoreMissing);
  await rename(file, `${file}.1`).catch(ignoreMissing);
}
