#!/usr/bin/env node
// Writes ecosystem.schema.json, docs/config.md and docs/migrating-from-pm2.md from the schema
// and the PM2 key table (run after `npm run build`).
import { writeFileSync, mkdirSync } from 'node:fs';
import { ecosystemJsonSchema, configReferenceMarkdown } from '../dist/src/config/reference.js';
import { migratingMarkdown } from '../dist/src/config/pm2-reference.js';

mkdirSync('docs', { recursive: true });
writeFileSync('ecosystem.schema.json', JSON.stringify(ecosystemJsonSchema(), null, 2) + '\n');
writeFileSync('docs/config.md', configReferenceMarkdown());
writeFileSync('docs/migrating-from-pm2.md', migratingMarkdown());
console.log('wrote ecosystem.schema.json, docs/config.md and docs/migrating-from-pm2.md');
