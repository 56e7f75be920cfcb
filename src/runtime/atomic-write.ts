// State files are written atomically: a temp file in the same directory, then rename.
import { renameSync, writeFileSync } from 'node:fs';

// Writes `text` to `file` so readers see the old or the new content, never half of it.
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}
