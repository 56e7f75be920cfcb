// Reads an ecosystem file into a plain value: JSON is parsed (never evaluated); .js/.cjs/.mjs
// files are loaded as PM2 loads them (module.exports or export default), fresh on every reload.
import { readFile, stat } from 'node:fs/promises';
import { ConfigError } from './errors.js';
import { loadModuleFresh } from './load-module.js';

// Files larger than this are refused before they are read.
export const MAX_CONFIG_BYTES = 1024 * 1024;

const fail = (file: string, message: string): never => {
  throw new ConfigError(file, [{ path: '', message }]);
};

// True for the names PM2 loads as JavaScript.
export function isScriptConfig(file: string): boolean {
  return /\.(c|m)?js$/.test(file);
}

function fsMessage(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return 'file not found; expected an ecosystem file (.json, .config.js, .cjs or .mjs)';
    case 'ELOOP': return 'symbolic link loop (ELOOP): the path resolves to itself; point it at a real file';
    case 'EACCES': case 'EPERM': return `permission denied (${error.code}); expected a file the master can read`;
    case 'EISDIR': return 'is a directory; expected an ecosystem file';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return `cannot read the file: ${error.code ?? error.message}`;
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

function jsonErrorMessage(text: string, error: Error): string {
  const at = /position (\d+)/.exec(error.message);
  if (!at) return `invalid JSON: ${error.message}`;
  const pos = Number(at[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${error.message.replace(/ in JSON at position \d+.*$/s, '')}`;
}

async function readJson(file: string): Promise<unknown> {
  const text = decodeText(file, await readFile(file).catch((error: NodeJS.ErrnoException) => fail(file, fsMessage(error))));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(file, jsonErrorMessage(text, error as Error));
  }
}

async function readScript(file: string): Promise<unknown> {
  decodeText(file, await readFile(file).catch((error: NodeJS.ErrnoException) => fail(file, fsMessage(error)))); // refuse binary before running it
  let value: unknown;
  try {
    value = await loadModuleFresh(file);
  } catch (error) {
    const err = error as Error;
    const where = err.stack?.split('\n').find((l) => l.includes(file))?.trim();
    return fail(file, `the module threw while loading: ${err.name}: ${err.message}${where ? ` (${where})` : ''}`);
  }
  if (value && typeof value === 'object' && 'then' in value && typeof (value as { then: unknown }).then === 'function') {
    try {
      value = await (value as Promise<unknown>);
    } catch (error) {
      return fail(file, `the exported promise rejected: ${(error as Error).message}`);
    }
  }
  if (value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)) {
    return fail(file, 'the module exports nothing usable; expected `module.exports = { apps: [...] }` or `export default { apps: [...] }`');
  }
  return value;
}

// Reads one ecosystem file; throws ConfigError with a one-line reason when it cannot.
export async function readEcosystem(file: string): Promise<unknown> {
  await checkFile(file);
  return isScriptConfig(file) ? readScript(file) : readJson(file);
}
