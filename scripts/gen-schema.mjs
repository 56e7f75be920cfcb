#!/usr/bin/env node
// Writes ecosystem.schema.json and docs/config.md from the schema (run after `npm run build`).
import { writeFileSync, mkdirSync } from 'node:fs';
import { ecosystemJsonSchema, configReferenceMarkdown } from '../dist/src/config/reference.js';

mkdirSync('docs', { recursive: true });
writeFileSync('ecosystem.schema.json', JSON.stringify(ecosystemJsonSchema(), null, 2) + '\n');
writeFileSync('docs/config.md', configReferenceMarkdown());
console.log('wrote ecosystem.schema.json and docs/config.md');
