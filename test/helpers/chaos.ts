// The reliability suite's figures: each scenario reports one row; `npm run test:chaos`
// turns them into docs/reliability.md. CHAOS_FULL=1 runs the long form of every scenario.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';

// True for `npm run test:chaos`; false for the short form inside `npm test`.
export const FULL = process.env.CHAOS_FULL === '1';

// Picks the long or the short value of a scenario parameter.
export const scale = <T>(full: T, short: T): T => (FULL ? full : short);

// One line of the summary table.
export interface ChaosRow {
  readonly id: string;
  readonly scenario: string;
  readonly load: string;
  readonly faults: string;
  readonly lost: string;
  readonly result: string;
}

// Records a scenario's row (and prints it) so the summary can be written at the end.
export function report(row: ChaosRow): void {
  const dir = path.join(ROOT, 'dist', 'chaos-results', FULL ? 'full' : 'short');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${row.id}.json`), JSON.stringify(row));
  process.stdout.write(`# chaos ${row.id}: ${row.scenario} | load: ${row.load} | faults: ${row.faults} | lost: ${row.lost} | ${row.result}\n`);
}
