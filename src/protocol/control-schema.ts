// The schema of a control request, checked field by field before the master acts on it: the
// envelope (v, id, verb, args) and each verb's arguments with their types and ranges. The
// socket is the real API: it accepts exactly what the CLI and a config may say. No zod here:
// the master must not load it.
import { CONTROL_VERSION, type ControlRequest, type ControlVerb } from './control.js';
import { APP_NAME_MAX_LENGTH, APP_NAME_PATTERN, MAX_INSTANCES } from './limits.js';

// Why a request line is refused: its code, the id to answer with, and what was wrong.
export interface RequestProblem { readonly code: 'E_BAD_REQUEST' | 'E_VERSION'; readonly id: number; readonly message: string }

// A check of one value: null when it is fine, else what was expected.
type Rule = (value: unknown) => string | null;

// One argument of a verb.
interface Arg { readonly rule: Rule; readonly required?: boolean }

const MAX_PATH_BYTES = 4096;

const appName: Rule = (v) =>
  typeof v === 'string' && v.length > 0 && v.length <= APP_NAME_MAX_LENGTH && APP_NAME_PATTERN.test(v)
    ? null
    : `expected an app name (1 to ${APP_NAME_MAX_LENGTH} characters, no "/" or control characters)`;

const absolutePath: Rule = (v) =>
  typeof v === 'string' && v.startsWith('/') && !v.includes('\0') && Buffer.byteLength(v) <= MAX_PATH_BYTES
    ? null
    : `expected the absolute path of a file (at most ${MAX_PATH_BYTES} bytes, no NUL)`;

const instances: Rule = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INSTANCES ? null : `expected a whole number of workers from 0 to ${MAX_INSTANCES}`;

// The name of an env_<name> block, as the config allows it.
const envBlock: Rule = (v) =>
  v === null || (typeof v === 'string' && v.length <= APP_NAME_MAX_LENGTH && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v)) ? null : 'expected the name of an env_<name> block (letters, digits, ".", "_", "-") or null';

const oneOf = (...values: readonly string[]): Rule => (v) => (typeof v === 'string' && values.includes(v) ? null : `expected one of ${values.map((x) => `"${x}"`).join(', ')}`);

const optionalApp: Readonly<Record<string, Arg>> = { app: { rule: appName } };

// Every verb and the arguments it takes; nothing else is accepted.
const VERBS: Readonly<Record<ControlVerb, Readonly<Record<string, Arg>>>> = {
  ping: {},
  status: {},
  metrics: { format: { rule: oneOf('text', 'openmetrics') } },
  logs: optionalApp,
  describe: { app: { rule: appName, required: true } },
  reload: optionalApp,
  restart: optionalApp,
  stop: optionalApp,
  delete: { app: { rule: appName, required: true } },
  scale: { app: { rule: appName, required: true }, instances: { rule: instances, required: true } },
  start: { app: { rule: appName }, config: { rule: absolutePath }, env: { rule: envBlock } },
  forget: { config: { rule: absolutePath, required: true } },
  upgrade: {},
};

const ENVELOPE = new Set(['v', 'id', 'verb', 'args']);

// A value, short, for an error message.
function shown(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = typeof v;
  }
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Checks a verb's arguments; returns what is wrong, or null.
function argsProblem(verb: ControlVerb, args: Record<string, unknown>): string | null {
  const spec = VERBS[verb];
  for (const key of Object.keys(args)) {
    if (!Object.hasOwn(spec, key)) {
      const known = Object.keys(spec);
      return `args.${key}: ${verb} takes ${known.length ? `only ${known.join(', ')}` : 'no arguments'}`;
    }
  }
  for (const [key, arg] of Object.entries(spec)) {
    const value = args[key];
    if (value === undefined || (value === null && !arg.required)) {
      if (arg.required) return `args.${key}: ${verb} needs it; ${arg.rule(undefined)}`;
      continue;
    }
    const expected = arg.rule(value);
    if (expected) return `args.${key}: ${expected}, found ${shown(value)}`;
  }
  if (verb === 'start' && (args.app == null) === (args.config == null)) return 'args: start takes either app (an app to start again) or config (a file to load)';
  return null;
}

// Checks a parsed request line; returns the request or what is wrong with it.
export function checkRequest(raw: unknown): ControlRequest | RequestProblem {
  if (!isObject(raw)) return { code: 'E_BAD_REQUEST', id: 0, message: `expected a JSON object, found ${shown(raw)}` };
  const id = typeof raw.id === 'number' && Number.isSafeInteger(raw.id) && raw.id >= 0 ? raw.id : 0;
  const bad = (message: string): RequestProblem => ({ code: 'E_BAD_REQUEST', id, message });
  if (typeof raw.v !== 'number') return bad(`v: expected ${CONTROL_VERSION} (the protocol version), found ${shown(raw.v)}`);
  if (raw.v !== CONTROL_VERSION) return { code: 'E_VERSION', id, message: `unsupported protocol version ${raw.v}; this master speaks ${CONTROL_VERSION}` };
  const extra = Object.keys(raw).find((k) => !ENVELOPE.has(k));
  if (extra !== undefined) return bad(`${extra}: unknown key; a request has only v, id, verb and args`);
  if (typeof raw.id !== 'number' || raw.id !== id) return bad(`id: expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, found ${shown(raw.id)}`);
  if (typeof raw.verb !== 'string' || !Object.hasOwn(VERBS, raw.verb)) return bad(`verb: expected one of ${Object.keys(VERBS).join(', ')}, found ${shown(raw.verb)}`);
  const verb = raw.verb as ControlVerb;
  if (raw.args !== undefined && !isObject(raw.args)) return bad(`args: expected an object, found ${shown(raw.args)}`);
  const args = isObject(raw.args) ? raw.args : {};
  const problem = argsProblem(verb, args);
  return problem ? bad(problem) : { v: CONTROL_VERSION, id, verb, args };
}

// True when checkRequest refused the line.
export function isProblem(parsed: ControlRequest | RequestProblem): parsed is RequestProblem {
  return 'code' in parsed;
}
