// Generates the published ecosystem.schema.json and docs/config.md from the one schema, so
// editors, docs and validation never disagree. `npm run gen:schema` writes them; a test
// fails when the committed files are out of date.
import { z } from 'zod';
import { appSchema, ecosystemSchema, metricsSchema } from './schema.js';

type Json = Record<string, unknown>;

// The JSON Schema (draft-07, which editors support widely) of the ecosystem file.
export function ecosystemJsonSchema(): Json {
  const schema = z.toJSONSchema(ecosystemSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Json;
  return { ...schema, title: 'graceful-supervisor ecosystem file' };
}

function typeText(s: Json): string {
  if (Array.isArray(s.anyOf)) return [...new Set((s.anyOf as Json[]).map(typeText))].join(' \\| ');
  if ('const' in s) return JSON.stringify(s.const);
  if (s.type === 'array') {
    const item = (s.items ?? {}) as Json;
    return Array.isArray(item.anyOf) ? `(${typeText(item)})[]` : `${typeText(item)}[]`;
  }
  if (s.type === 'integer') return 'integer';
  if (s.type === 'object') return 'object';
  return Array.isArray(s.type) ? (s.type as string[]).join(' \\| ') : String(s.type ?? 'any');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rows(schema: z.ZodObject, prefix: string): string[] {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Json;
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([key, p]) => {
    const def = 'default' in p ? `\`${JSON.stringify(p.default)}\`` : required.has(key) ? 'required' : '';
    return `| \`${prefix}${key}\` | ${typeText(p)} | ${def} | ${cell(String(p.description ?? ''))} |`;
  });
}

// The config reference in Markdown: one table row per key (key, type, default, description).
export function configReferenceMarkdown(): string {
  const head = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  const metricsObject = metricsSchema.options[1] as z.ZodObject;
  return [
    '# Ecosystem file reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run gen:schema`; do not edit by hand. -->',
    '',
    'An ecosystem file is `.json` (parsed, never evaluated; comments, trailing commas and unquoted keys',
    'are read as JSON5, since PM2 evaluates `.json` files as JavaScript), `.yaml`/`.yml`, or',
    '`.config.js`/`.cjs`/`.mjs` (`module.exports = { apps: [...] }` or `export default { apps: [...] }`).',
    'A file may also be one app object, or a list of apps, as PM2 accepts. Durations are',
    'milliseconds or strings like `"500ms"`, `"30s"`, `"2m"`; sizes are bytes or `"300M"`, `"1G"`.',
    'Paths are relative to the ecosystem file\'s directory. `supervisor check <file>` validates one.',
    '',
    '## Top level',
    '',
    ...head,
    ...rows(ecosystemSchema, ''),
    '',
    '## `apps[]`',
    '',
    ...head,
    ...rows(appSchema, ''),
    '| `env_<name>` | object |  | Environment block selected with `--env <name>` (PM2 style), merged over `env`. |',
    '',
    '## `metrics`',
    '',
    ...head,
    ...rows(metricsObject, 'metrics.'),
    '',
    '## Starting: `start_retries`',
    '',
    'While an app is starting (its first start, an app added by a reload, or a start after',
    '`stop` or fatal), a crash loop gives up quickly: after `start_retries` restarts the app',
    'is fatal and the start fails, naming the worker, its exit code or signal, its last 20',
    'stderr lines and its log file. With the default backoff (100 ms, doubling) that is about',
    '4 s for a script that fails at import. Once every worker of the app has been ready,',
    '`max_restarts` applies instead, and a worker that stays up `min_uptime` resets its count.',
    '',
    '## Reloading on change: `watch_config`',
    '',
    'With `"watch_config": true` (or `--watch-config` on `run` and `start`) the master re-reads',
    'the file when it changes on disk and applies what changed, as `SIGHUP` does. It is **off**',
    'by default: PM2 never watches its ecosystem file, and systemd and nginx re-read their',
    'configuration only when told to, so that is what their users expect; and a watched file',
    'rolls production on every save that validates, even one that is only half done. Turn it on',
    'for development; `--no-watch-config` turns it off for a file that sets it.',
    '',
    '## PM2 keys',
    '',
    'A PM2 ecosystem file is read as PM2 reads it: PM2\'s aliases (`node_args`, `exec_interpreter`,',
    '`output`, `err_file`, ...) name the keys above, and `port`, `treekill`, `disable_logs` are translated.',
    'PM2 keys that would change what runs and have no equivalent (`shutdown_with_message`,',
    '`filter_env`, ...) make the file invalid, with what to do instead; bookkeeping keys',
    '(`vizion`, `pmx`, `pid_file`, ...) are ignored with a warning. [migrating-from-pm2.md](migrating-from-pm2.md)',
    'lists every PM2 key with what happens to it. An unknown key close to a known one is an error with a',
    '"did you mean" (camelCase spellings point to the snake_case key); any other unknown key is ignored',
    'with a warning, as PM2 ignores it.',
    '',
  ].join('\n');
}
