// The config loader child: reads, evaluates, validates and normalizes one ecosystem file,
// writes the result as one JSON document on fd 3, and exits. load-isolated.ts starts it in
// the file's own folder with a deadline, so user config code never runs in the master.
// Usage: node loader-main.js <file> <env name or ""> <"insecure" or "">
import net from 'node:net';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
import { untrustedReason } from './trust.js';
import type { LoaderAnswer } from './loader-answer.js';

const [file = '', env = '', insecure = ''] = process.argv.slice(2);
// A config that waits on something that never comes must meet the deadline, not end quietly
// with an empty event loop; so the child stays alive until it has answered.
const keepAlive = setInterval(() => undefined, 1 << 30);
let answered = false;

function answer(result: LoaderAnswer): void {
  if (answered) return;
  answered = true;
  const out = new net.Socket({ fd: 3, readable: false, writable: true });
  out.on('error', () => process.exit(1));
  out.end(JSON.stringify(result), () => {
    clearInterval(keepAlive);
    process.exit(0);
  });
}

const failure = (message: string): LoaderAnswer => ({ ok: false, issues: [{ path: '', message }], warnings: [] });

// Errors thrown later by the config's own timers or promises still get a clear answer.
process.on('uncaughtException', (error) => answer(failure(`the module threw after loading: ${error.name}: ${error.message}`)));
process.on('unhandledRejection', (reason) => answer(failure(`a promise of the module rejected: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : 'with a non-Error value'}`)));

try {
  const distrust = insecure === 'insecure' ? null : untrustedReason(file);
  if (distrust) throw new ConfigError(file, [{ path: '', message: `refusing this config: ${distrust}. Pass --insecure-config to accept it anyway` }]);
  const config = await loadConfig(file, { env: env || null });
  answer({ ok: true, config });
} catch (error) {
  if (error instanceof ConfigError) answer({ ok: false, issues: error.issues, warnings: error.warnings });
  else answer(failure(`the config loader failed: ${(error as Error).message}`));
}
