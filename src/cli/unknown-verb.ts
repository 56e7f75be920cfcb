// One line for an unknown verb, with a real suggestion: a command of the same meaning from
// PM2, supervisorctl or systemctl (`kill` is `stop`, `info` is `describe`), else the closest
// spelling; never a guess that is far off.
import type { Command } from 'commander';
import { editDistance } from '../config/suggest.js';

// What users of other tools type, and the verb that does it here.
const SYNONYMS: Readonly<Record<string, string>> = {
  kill: 'stop', shutdown: 'stop', halt: 'stop',
  rm: 'delete', remove: 'delete', del: 'delete',
  info: 'describe', show: 'describe', inspect: 'describe', desc: 'describe',
  jlist: 'status --json', prettylist: 'status', avail: 'status', 'is-active': 'status', top: 'monit', monitor: 'monit', dashboard: 'monit', dash: 'monit',
  log: 'logs', tail: 'logs', journal: 'logs', flush: 'logs',
  add: 'start', enable: 'startup', save: 'startup', resurrect: 'startup', update: 'reload', reread: 'check', validate: 'check', lint: 'check',
  gracefulreload: 'reload', startorreload: 'start', startorrestart: 'start', reloadlogs: 'reload',
  version: '--version',
};

// Every verb and alias `program` answers to (hidden ones left out).
export function verbsOf(program: Command): string[] {
  return program.commands.filter((c) => c.name() !== 'master-daemon').flatMap((c) => [c.name(), ...c.aliases()]).concat('help');
}

// The one-line error for `argv`'s verb, or null when it is a verb (or an option).
export function unknownVerb(argv: readonly string[], program: Command): string | null {
  const verb = argv[0];
  if (verb === undefined || verb.startsWith('-')) return null;
  if (program.commands.some((c) => c.name() === verb)) return null; // hidden ones too (master-daemon)
  const verbs = verbsOf(program);
  if (verbs.includes(verb)) return null;
  const lower = verb.toLowerCase().replace(/[-_]/g, '');
  const synonym = SYNONYMS[verb.toLowerCase()] ?? SYNONYMS[lower];
  let guess = synonym ?? null;
  if (guess === null) {
    let best = Infinity;
    for (const v of verbs) {
      const d = editDistance(verb.toLowerCase(), v);
      if (d < best) [best, guess] = [d, v];
    }
    if (best > Math.max(1, Math.min(2, Math.floor(verb.length / 3)))) guess = null;
  }
  const main = program.commands.filter((c) => c.name() !== 'master-daemon').map((c) => c.name());
  return guess ? `unknown command "${verb}"; did you mean "supervisor ${guess}"?` : `unknown command "${verb}"; the commands are: ${main.join(', ')} (supervisor --help)`;
}
