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
const table = [
  '| # | scenario | load held | faults injected | lost | result |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${esc(r.id)} | ${esc(r.scenario)} | ${esc(r.load)} | ${esc(r.faults)} | ${esc(r.lost)} | ${esc(r.result)} |`),
].join('\n');
const doc = `# Reliability and security

Produced by \`npm run test:chaos\` (each scenario bounded to 60 s but 11, the 2,000 reloads; loopback only) on
${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}.
A short form of every scenario also runs inside \`npm test\`.

${table}
`;
mkdirSync('docs', { recursive: true });
writeFileSync('docs/reliability.md', doc);
console.log(table);
