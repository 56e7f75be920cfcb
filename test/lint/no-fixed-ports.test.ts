// Nothing global: no test binds a fixed port. Metrics are off or on port 0, app sockets use a
// port freePort() found free, and a test about the default port (9464) runs its master in a
// network namespace of its own ({ netns: true }). Two checks: this lint over the test sources
// and the docs' runnable examples, and the runtime guard in startMaster/cli (fixed-ports.ts),
// which reads the actual config a test starts a master with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { docBlocks } from '../helpers/doc-blocks.js';
import { tempDir } from '../helpers/config.js';
import { configArg, defaultMetricsBind, refuseFixedPorts } from '../helpers/fixed-ports.js';

const DEFAULT_PORT = ['94', '64'].join(''); // spelled apart so this file does not trip itself
const SELF = path.join(ROOT, 'test/lint/no-fixed-ports.test.ts');

// Literal ports in code: `port: 8080`, `listen: [3000`, `.listen(3000`, `tcp://host:3000`, `127.0.0.1:3000`.
const LITERAL_PORT = [
  /\bport:\s*[1-9]\d*\b/,
  /\blisten:\s*\[\s*[1-9]\d*\b/,
  /\.listen\(\s*[1-9]\d*\b/,
  /tcp:\/\/[^\s'"`$]*:[1-9]\d*\b/,
  /\b(?:127\.\d+\.\d+\.\d+|0\.0\.0\.0|localhost):[1-9]\d*\b/,
];

// The problems in one source text: the default metrics port outside a test that runs its
// master in its own network namespace, or (with `literals`) any literal port.
function portProblems(text: string, literals = true): string[] {
  const ownNetns = /netns: true/.test(text);
  const defaultPort = new RegExp(`\\b${DEFAULT_PORT}\\b`);
  return text.split('\n').flatMap((line, i) => {
    const scan = ownNetns ? line.replaceAll(new RegExp(defaultPort, 'g'), '0') : line;
    if (defaultPort.test(scan)) return [`line ${i + 1}: the default metrics port outside a { netns: true } test: ${line.trim()}`];
    if (literals && LITERAL_PORT.some((re) => re.test(scan))) return [`line ${i + 1}: a literal port: ${line.trim()}`];
    return [];
  });
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|mjs|cjs|js|sh|py|php)$/.test(name) && p !== SELF ? [p] : [];
  });
}

// Unit tests start no master and bind nothing: their configs may name literal ports as data.
test('no test source binds a literal port or the default metrics port', () => {
  const problems = sources(path.join(ROOT, 'test')).flatMap((file) => {
    const literals = !file.startsWith(path.join(ROOT, 'test/unit/'));
    return portProblems(readFileSync(file, 'utf8'), literals).map((p) => `${path.relative(ROOT, file)}: ${p}`);
  });
  assert.deepEqual(problems, [], 'use metrics: false or port 0, freePort() for app sockets, or { netns: true } for a test about the default');
});

test("the docs' runnable examples turn metrics off (they run inside npm test)", () => {
  const docs = [path.join(ROOT, 'README.md'), path.join(ROOT, 'deploy/README.md'), ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(ROOT, 'docs', f))];
  const problems = docs.flatMap((doc) => docBlocks(doc).flatMap((b) => {
    const where = `${path.relative(ROOT, doc)}:${b.line}`;
    const config = b.lang === 'json' && /"apps"/.test(b.code) && !/"metrics":\s*false|"port":\s*0\b/.test(b.code);
    return [...(config ? [`${where}: a config without "metrics": false`] : []), ...portProblems(b.code).map((p) => `${where}: ${p}`)];
  }));
  assert.deepEqual(problems, []);
});

test('the lint itself: it flags literal and default ports and lets port 0 and freePort() through', () => {
  for (const bad of [`metrics: { port: ${DEFAULT_PORT} }`, "listen: [8080]", "server.listen(3000, '127.0.0.1')", "listen: ['tcp://0.0.0.0:3000']", "fetch('http://127.0.0.1:8080/metrics')", `const p = ${DEFAULT_PORT};`]) {
    assert.equal(portProblems(bad).length, 1, bad);
  }
  for (const good of ["metrics: { host: '127.0.0.1', port: 0 }", 'listen: [`tcp://127.0.0.1:${port}`]', 's.listen(0, resolve)', 'listen: [port]', `startMaster(args, {}, { netns: true }); // ${DEFAULT_PORT}`]) {
    assert.deepEqual(portProblems(good), [], good);
  }
});

test('the runtime guard refuses a config that would bind the default metrics port', () => {
  const dir = tempDir();
  const write = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const noKey = write('no-key.json', JSON.stringify({ apps: [] }));
  const pm2 = write('ecosystem.config.js', 'module.exports = { apps: [{ name: "a", script: "a.js" }] };\n');
  assert.equal(defaultMetricsBind(noKey), `127.0.0.1:${DEFAULT_PORT}`, 'no metrics key: the default endpoint');
  assert.equal(defaultMetricsBind(pm2), `127.0.0.1:${DEFAULT_PORT}`, 'a PM2 .config.js without metrics');
  assert.equal(defaultMetricsBind(write('host.json', JSON.stringify({ metrics: { host: '0.0.0.0' }, apps: [] }))), `0.0.0.0:${DEFAULT_PORT}`);
  assert.equal(defaultMetricsBind(write('off.json', JSON.stringify({ metrics: false, apps: [] }))), null);
  assert.equal(defaultMetricsBind(write('zero.json', JSON.stringify({ metrics: { port: 0 }, apps: [] }))), null);
  assert.equal(defaultMetricsBind(write('bad.json', '{ "apps": [')), null, 'a broken config is for the master to reject');
  assert.equal(configArg(['run', '--env', 'prod', 'x.json'], '/d'), '/d/x.json');
  assert.equal(configArg(['start', '--json-logs', 'x.json', '--umask', '027'], '/d'), '/d/x.json');
  assert.equal(configArg(['status'], '/d'), null);
  assert.throws(() => refuseFixedPorts(['run', pm2]), new RegExp(`ecosystem\\.config\\.js: a test master would bind the default metrics port \\(127\\.0\\.0\\.1:${DEFAULT_PORT}\\).*netns`));
  assert.doesNotThrow(() => refuseFixedPorts(['run', write('ok.json', JSON.stringify({ metrics: false, apps: [] }))]));
});
