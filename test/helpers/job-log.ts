// Reading a job worker's "start N" / "done N" log and checking that no job was cut or repeated.
import { existsSync, readFileSync } from 'node:fs';

// Jobs started, jobs done, and the problems found (each must be empty for a clean run).
export function checkJobLog(file: string): { started: number; done: number; unfinished: string[]; duplicated: string[] } {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const starts = new Map<string, number>();
  const dones = new Map<string, number>();
  for (const line of lines) {
    const [verb, id] = line.split(' ');
    const into = verb === 'start' ? starts : verb === 'done' ? dones : null;
    if (into && id) into.set(id, (into.get(id) ?? 0) + 1);
  }
  const unfinished = [...starts.keys()].filter((id) => !dones.has(id));
  const duplicated = [...starts.entries(), ...dones.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  return { started: starts.size, done: dones.size, unfinished, duplicated };
}
