// Generates docs/migrating-from-pm2.md from the PM2 key table (pm2-keys.ts) and the schema, so
// the page lists every PM2 key with what happens to it and cannot drift from the loader.
// `npm run gen:schema` writes it; a test fails when the committed page is out of date.
import { appSchema } from './schema.js';
import { PM2_APP_KEYS, PM2_ROOT_KEYS, ROOT_ENV_BLOCK_ADVICE, type Pm2Treatment } from './pm2-keys.js';
import { CLUSTER_SECTION } from './pm2-cluster-doc.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function status(t: Pm2Treatment): string {
  switch (t.kind) {
    case 'same': return `same${t.note ? `: ${t.note}` : ''}`;
    case 'alias': return `PM2's other name for \`${t.of}\``;
    case 'honoured': return `honoured: ${t.how}`;
    case 'ignored': return `ignored, with a warning: ${t.advice}`;
    case 'refused': return `**refused** (the file is invalid): ${t.advice}`;
  }
}

// The table of every PM2 app key, then the top-level ones.
export function pm2KeyRows(): string[] {
  const rows = Object.entries(PM2_APP_KEYS).map(([key, t]) => `| \`${key}\` | ${cell(key === 'exec_mode' ? `${status(t)}; see [Cluster mode](#cluster-mode-exec_mode-cluster)` : status(t))} |`);
  rows.push('| `env_<name>` | same: selected with `--env <name>` and merged over `env`, kept for every reload; a string instead of a block is ignored with a warning, as PM2 ignores it |');
  return rows;
}

function rootRows(): string[] {
  return [
    ...Object.entries(PM2_ROOT_KEYS).map(([key, t]) => `| \`${key}\` (top level) | ${cell(status(t))} |`),
    `| \`env_<name>\` (top level) | ${cell(status({ kind: 'ignored', advice: ROOT_ENV_BLOCK_ADVICE }))} |`,
    '| any other unknown key | a key close to a known one is an error with a "did you mean"; any other is ignored with a warning, as PM2 ignores it |',
  ];
}

// Keys of ours that PM2 does not have.
const ownKeys = () => Object.keys(appSchema.shape).filter((k) => !Object.hasOwn(PM2_APP_KEYS, k));

// The whole page.
export function migratingMarkdown(): string {
  return [
    '# Migrating from PM2',
    '',
    '<!-- Generated from src/config/pm2-keys.ts, pm2-reference.ts and the schema by `npm run gen:schema`; do not edit by hand. -->',
    '',
    'A PM2 ecosystem file runs unchanged: the loader reads it as PM2 reads it (`.js`, `.cjs`, `.mjs`,',
    '`.json` with comments, `.yaml`/`.yml`, one app object or a list of apps), every PM2 key is either',
    'honoured or reported with one line of advice naming the file and the path, and a PM2 app that',
    'calls `process.send(\'ready\')` runs unchanged. `supervisor check <file>` tells you before you start.',
    'What changes is what a reload means: here it is graceful in every mode, and it never kills an old',
    'worker before its replacement is ready.',
    '',
    '## Behaviour that differs',
    '',
    '- **`kill_timeout` defaults to 30 s, not 1.6 s.** PM2 sends `SIGKILL` 1.6 s after asking',
    '  a process to stop, which cuts any longer job in half. Here a worker gets 30 s to finish',
    '  and exit. Set it above your longest job (and, in Kubernetes, set',
    '  `terminationGracePeriodSeconds` above it: see [deploy/README.md](../deploy/README.md)).',
    '- **`reload` is graceful for every app**, not only `exec_mode: cluster`: new workers',
    '  start, report ready, and only then are old ones told to finish. If a new worker crashes',
    '  or misses `listen_timeout`, the reload **aborts** and the old workers keep serving (PM2',
    '  kills them anyway). A reload during a reload is merged into one follow-up, never run',
    '  concurrently, and it always re-reads the ecosystem file: changed `env`, `instances`,',
    '  `script`, `cwd` are picked up (PM2\'s reload misses them). `cron_restart` and `watch` roll',
    '  the app the same way.',
    '- **The stop signal is `SIGTERM`**, PM2\'s is `SIGINT`. Workers that load the SDK get an',
    '  IPC message instead. A PM2 app that only handles `SIGINT` needs `"stop_signal": "SIGINT"`.',
    '- **Worker ids are stable.** `SUPERVISOR_WORKER_ID` (and `NODE_APP_INSTANCE`, or the',
    '  `instance_var` you name) stay `0..N-1` across reloads; there are no `_old_` processes.',
    '- **A crash loop ends.** After `max_restarts` unstable restarts in a row (default 15) the',
    '  app is `fatal` and stays down until the next `supervisor reload` (or `supervisor start <app>`);',
    '  the backoff is exponential from 100 ms up to 30 s.',
    '- **Paths are relative to the ecosystem file**, not to the shell you start from (PM2), so',
    '  a file means the same wherever it is started. Script mode (`supervisor start app.js`)',
    '  uses the shell\'s directory, as PM2 does.',
    '- **App names are unique.** PM2 runs two apps of one name; here the second runs as',
    '  `<name>-2` (with a warning), so that every verb addresses exactly one app.',
    '',
    ...CLUSTER_SECTION,
    '',
    '## Keys',
    '',
    'Every key PM2 knows (its `lib/API/schema.json`, aliases included; a test checks the list',
    'against PM2\'s own), and what happens to it here.',
    '',
    '| PM2 key | here |',
    '| --- | --- |',
    ...pm2KeyRows(),
    ...rootRows(),
    '',
    `Keys PM2 does not have: ${ownKeys().map((k) => `\`${k}\``).join(', ')}; see [config.md](config.md).`,
    '',
    '## Commands',
    '',
    '| PM2 | here |',
    '| --- | --- |',
    '| `pm2 start ecosystem.config.js` | `supervisor start ecosystem.config.js` (daemon) or `supervisor run ecosystem.config.js` (foreground, for containers and systemd) |',
    '| `pm2 start app.js -i 4 --name api -- args` | `supervisor start app.js -i 4 --name api -- args` (or `run`); `-i` takes `0`, `max`, `-1` as PM2 does |',
    '| `pm2 start <app>` (after `pm2 stop <app>`) | `supervisor start <app>` |',
    '| `pm2 reload <app>` | `supervisor reload [app]`, or `kill -HUP <master pid>`: the same path |',
    '| `pm2 restart <app>` | `supervisor restart [app]` (all at once, not rolling) |',
    '| `pm2 stop <app>` | `supervisor stop <app>` |',
    '| `pm2 delete <app>` | `supervisor delete <app>`: stopped and forgotten until its file is read again (`supervisor reload`) |',
    '| `pm2 kill` | `supervisor stop` (every app, then the master) |',
    '| `pm2 scale <app> <n>` | `supervisor scale <app> <n>` |',
    '| `pm2 list`, `pm2 ls`, `pm2 jlist` | `supervisor ls` (`list`, `ps`, `status`), `supervisor status --json` |',
    '| `pm2 describe <app>` | `supervisor describe <app>` (env variable names, never their values) |',
    '| `pm2 monit` | `supervisor monit` (`status --watch`); for dashboards, Prometheus: `/metrics` with every worker\'s prom-client metrics aggregated |',
    '| `pm2 logs` | `supervisor logs` |',
    '| `pm2 reloadLogs` | `kill -USR1 <master pid>` (see [signals.md](signals.md)) |',
    '| `pm2 startup` + `pm2 save` | `supervisor startup systemd <config> --install`: the unit runs the ecosystem file itself, so there is nothing to save or resurrect |',
    '| `pm2 completion install` | `source <(supervisor completion bash)` (or `zsh`) |',
    '| `pm2 -v` | `supervisor -v` |',
    '',
    '## Try it with a PM2 app',
    '',
    'An app written for PM2 (no SDK; `process.send(\'ready\')` and a `SIGINT` handler) and its',
    '`ecosystem.config.js`, as PM2 users write it: only `stop_signal` is added.',
    '',
    '```js test file=app.js',
    'const http = require(\'node:http\');',
    'const server = http.createServer((req, res) => res.end(\'ok\\n\'));',
    'server.listen(0, \'127.0.0.1\', () => process.send(\'ready\'));',
    'process.on(\'SIGINT\', () => server.close(() => process.exit(0)));',
    '```',
    '',
    '```js test file=ecosystem.config.js',
    'module.exports = {',
    '  apps: [{',
    '    name: \'api\',',
    '    script: \'app.js\',',
    '    instances: \'2\',',
    '    node_args: \'--max-old-space-size=128\',',
    '    wait_ready: true,',
    '    listen_timeout: 5000,',
    '    kill_timeout: 5000,',
    '    log_date_format: \'YYYY-MM-DD HH:mm:ss Z\',',
    '    env_production: { NODE_ENV: \'production\' },',
    '    stop_signal: \'SIGINT\',        // PM2\'s stop signal; this app only handles SIGINT',
    '  }],',
    '  metrics: false,',
    '};',
    '```',
    '',
    '```sh test',
    'supervisor check ecosystem.config.js --env production | grep -q \'would run 1 app(s): api x2 (env production)\'',
    'supervisor run ecosystem.config.js --env production > master.log 2>&1 &',
    'master=$!',
    'until grep -q \'app api: all workers ready\' master.log; do sleep 0.1; done',
    'supervisor ls | grep -c \' ready \' | grep -qx 2',
    '',
    'kill -HUP $master                                  # pm2 reload api',
    'until grep -q \'app api: reload to gen 2 done\' master.log; do sleep 0.1; done',
    'kill -TERM $master',
    'wait $master',
    'grep -q \'exited with code 0\' master.log            # stopped by SIGINT, cleanly',
    '! grep -q -e crashed -e SIGKILL master.log',
    '```',
    '',
  ].join('\n');
}
