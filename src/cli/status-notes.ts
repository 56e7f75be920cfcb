// The lines under the `status` table that say what the table cannot: an app whose worker
// count was changed by `scale` and differs from its file, a fatal app and how to start it
// again, a metrics endpoint that was wanted but is off.
import type { StatusReport } from '../master/status.js';

// One line per thing worth saying, in app order; none when all is as configured.
export function statusNotes(report: StatusReport): string[] {
  const notes: string[] = [];
  for (const a of report.apps) {
    if (a.instances !== a.file_instances) {
      notes.push(`${a.name}: ${a.instances} worker(s) set by "supervisor scale"; ${a.config_file} says ${a.file_instances} (the next change of "instances" there applies it)`);
    }
    if (a.status === 'fatal') notes.push(`${a.name} is fatal: ${a.fatal_reason ?? 'it crashed too often'}. Once the cause is fixed, "supervisor reload ${a.name}" starts it again`);
  }
  if (report.metrics?.problem) notes.push(`metrics: off: ${report.metrics.problem}`);
  const m = report.master;
  if (m && m.version !== m.installed) notes.push(`master pid ${m.pid} runs version ${m.version}; version ${m.installed} is installed: "supervisor upgrade" switches to it without dropping a request`);
  return notes;
}
