// Reads an ecosystem file into a plain value, with one reader per file name ending: JSON is
// parsed, never evaluated (PM2 evaluates .json as JavaScript, so comments, trailing commas,
// unquoted keys and single quotes are read with JSON5); YAML with the `yaml` package, loaded
// only for such files; .js/.cjs/.mjs files are loaded as PM2 loads them (module.exports or
// export default). Runs only in the loader child (load-isolated.ts), never in the master.
// Error texts name the file and never echo its bytes.
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from './errors.js';
import { jsonErrorAt } from './json-error.js';
import { loadModule } from './load-module.js';

// Files larger than this are refused before they are read.
export const MAX_CONFIG_BYTES = 1024 * 1024;

// Turns the text of a config file into a plain value (or throws ConfigError).
export type ConfigReader = (file: string, text: string) => Promise<unknown>;

const fail = (file: string, message: string): never => {
  throw new ConfigError(file, [{ path: '', message }]);
};

function fsMessage(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return 'file not found; expected an ecosystem file (.json, .yaml, .config.js, .cjs or .mjs)';
    case 'ELOOP': return 'symbolic link loop (ELOOP): the path resolves to itself; point it at a real file';
    case 'EACCES': case 'EPERM': return `permission denied (${error.code}); expected a file the master can read`;
    case 'EISDIR': return 'is a directory; expected an ecosystem file';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return `cannot read the file: ${error.code ?? 'unknown error'}`;
  }
}

async function checkFile(file: string): Promise<void> {
  let st;
  try {
    st = await stat(file);
  } catch (error) {
    return fail(file, fsMessage(error as NodeJS.ErrnoException));
  }
  if (st.isDirectory()) fail(file, fsMessage({ code: 'EISDIR' } as NodeJS.ErrnoException));
  if (!st.isFile()) fail(file, 'is not a regular file; expected an ecosystem file');
  if (st.size > MAX_CONFIG_BYTES) fail(file, `file is ${st.size} bytes, larger than the 1 MB limit; expected a small ecosystem file`);
  if (st.size === 0) fail(file, 'file is empty; expected an object with an "apps" list');
}

// Decodes bytes as text, refusing binary content with a clear message.
function decodeText(file: string, bytes: Buffer): string {
  if (bytes.includes(0)) fail(file, 'file contains NUL bytes: it looks binary; expected a text ecosystem file');
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, 'file is not valid UTF-8 text: it looks binary; expected a text ecosystem file');
  }
  if (text.trim() === '') fail(file, 'file has only whitespace; expected an object with an "apps" list');
  return text.replace(/^\uFEFF/, '');
}

// V8's message without the quoted text it may carry.
function jsonProblem(error: Error): string {
  const plain = error.message.replace(/( in JSON)? at position \d+.*$/s, '');
  return /^Unexpected token/.test(plain) ? 'unexpected character' : plain.charAt(0).toLowerCase() + plain.slice(1);
}

const readJson: ConfigReader = async (file, text) => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const { default: JSON5 } = await import('json5');
    try {
      return JSON5.parse(text) as unknown;
    } catch {
      const at = jsonErrorAt(text);
      return fail(file, `invalid JSON${at ? ` at line ${at.line}, column ${at.column}` : ''}: ${jsonProblem(error as Error)}`);
    }
  }
};

// Line and column (1-based) of an offset into `text`.
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}

const readYaml: ConfigReader = async (file, text) => {
  const { parseDocument } = await import('yaml');
  // prettyErrors off: the messages then quote none of the file.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) return fail(file, `invalid YAML at ${lineColumn(text, error.pos[0])}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`);
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    return fail(file, `invalid YAML: ${(e as Error).message}`);
  }
};

// A thrown error as one line: a SyntaxError loses the quoted source token V8 puts in it.
function thrownText(file: string, err: Error): string {
  if (err.name === 'SyntaxError') {
    const line = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(err.stack ?? '')?.[1];
    return `SyntaxError: ${err.message.replace(/\s*'[^']*'|\s*"[^"]*"/g, '')}${line ? ` (line ${line})` : ''}`;
  }
  const where = err.stack?.split('\n').find((l) => l.includes(file))?.trim();
  return `${err.name}: ${err.message}${where ? ` (${where})` : ''}`;
}

const readScript: ConfigReader = async (file) => {
  let value: unknown;
  try {
    value = await loadModule(file);
  } catch (error) {
    return fail(file, `the module threw while loading: ${thrownText(file, error as Error)}`);
  }
  if (value && typeof value === 'object' && 'then' in value && typeof (value as { then: unknown }).then === 'function') {
    try {
      value = await (value as Promise<unknown>);
    } catch (error) {
      return fail(file, `the exported promise rejected: ${thrownText(file, error as Error)}`);
    }
  }
  if (value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)) {
    return fail(file, 'the module exports nothing usable; expected `module.exports = { apps: [...] }` or `export default { apps: [...] }`');
  }
  return value;
};

// The reader of each file name ending; anything else is read as JSON. Add a format here.
export const READERS: ReadonlyMap<string, ConfigReader> = new Map([
  ['.json', readJson],
  ['.yaml', readYaml],
  ['.yml', readYaml],
  ['.js', readScript],
  ['.cjs', readScript],
  ['.mjs', readScript],
]);

function readerFor(file: string): ConfigReader {
  for (const [ending, reader] of READERS) if (file.endsWith(ending)) return reader;
  return readJson;
}

// Reads one ecosystem file; throws ConfigError with a one-line reason when it cannot.
export async function readEcosystem(file: string): Promise<unknown> {
  await checkFile(file);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => fail(file, fsMessage(error)));
  return readerFor(file)(file, decodeText(file, bytes));
}
