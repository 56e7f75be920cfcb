#!/usr/bin/env node
// Prints the reliability suite's summary table and writes it to docs/reliability.md.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';

const dir = 'dist/chaos-results/full';
if (!existsSync(dir)) {
  console.error('no chaos results; run npm run test:chaos');
  process.exit(1);
}
const rows = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')));
rows.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
const esc = (s) => String(s).replace(/\|/g, '\\|');
const tableOf = (list) => [
  '| # | scenario | load held | faults injected | lost | result |',
  '|---|---|---|---|---|---|',
  ...list.map((r) => `| ${esc(r.id)} | ${esc(r.scenario)} | ${esc(r.load)} | ${esc(r.faults)} | ${esc(r.lost)} | ${esc(r.result)} |`),
].join('\n');
// Scenarios of the master's own inputs (what workers send, log sinks, clients) have ids "I...".
const isInput = (r) => /^I\d/.test(r.id);
const table = tableOf(rows.filter((r) => !isInput(r)));
const inputs = tableOf(rows.filter(isInput));
const doc = `# Reliability and security

Produced by \`npm run test:chaos\` (each scenario bounded to 60 s but 11, the 2,000 reloads; loopback only) on
${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}.
A short form of every scenario also runs inside \`npm test\`.

${table}

## Inputs to the master

When the master dies, every worker dies with it, so nothing it reads may crash it, wedge
its loop or grow its memory without bound: not what workers write (stdout, stderr, the IPC
channel, the ready fd, as the master's user or as another one), not slow or missing log
sinks, not clients of its control socket, not what workers start, not the fds it inherits,
not a spawn that fails, not a home another user prepared. RSS figures are the master's
resident memory before and at its peak during the fault (see [logs.md](logs.md),
[protocols.md](protocols.md) and [signals.md](signals.md) for the limits).

${inputs}
`;
mkdirSync('docs', { recursive: true });
writeFileSync('docs/reliability.md', doc);
console.log(table + '\n\n' + inputs);
