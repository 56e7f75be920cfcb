// The systemd unit renderer: quoting of Exec words and the timeouts derived from the config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envAssignment, execWord } from '../../../src/deploy/systemd-unit.js';
import { stopBudget } from '../../../src/deploy/stop-budget.js';
import type { AppSpec, Config } from '../../../src/config/types.js';

test('Exec words: plain paths stay bare; spaces, quotes, % and $ are escaped for systemd', () => {
  assert.equal(execWord('/usr/bin/node'), '/usr/bin/node');
  assert.equal(execWord('/srv/my apps/eco.json'), '"/srv/my apps/eco.json"');
  assert.equal(execWord('/srv/100%/eco.json'), '/srv/100%%/eco.json');
  assert.equal(execWord('/srv/$HOME/a"b'), '"/srv/$$HOME/a\\"b"');
  assert.equal(envAssignment('SUPERVISOR_HOME', '/var/lib/x y'), '"SUPERVISOR_HOME=/var/lib/x y"');
  assert.equal(envAssignment('SUPERVISOR_HOME', '/var/lib/$x'), 'SUPERVISOR_HOME=/var/lib/$x');
});

const app = (o: Partial<AppSpec>) => ({ instances: 1, kill_timeout: 30_000, listen_timeout: 8000, reload_surge: null, ...o }) as AppSpec;
const config = (apps: AppSpec[]): Config => ({ file: '/x/eco.json', apps, metrics: null, watchConfig: false });

test('budgets: stop = longest kill_timeout + margin; reload counts reload_surge batches of the slowest app', () => {
  assert.deepEqual(stopBudget(config([app({ kill_timeout: 10_000, listen_timeout: 5000 }), app({ kill_timeout: 2500 })])), { killTimeoutS: 10, listenTimeoutS: 8, stopS: 20, reloadS: 25 });
  assert.equal(stopBudget(config([app({ instances: 4, reload_surge: 1, kill_timeout: 1000, listen_timeout: 1000 })])).reloadS, 4 * 2 + 10);
  assert.equal(stopBudget(config([])).stopS, 10);
});
