// deploy/: every manifest parses, and the numbers agree with the ecosystem file the image runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ROOT } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/config.js';
import { loadConfig } from '../../../src/config/load.js';
import { stopBudget } from '../../../src/deploy/stop-budget.js';

const deploy = (...p: string[]) => path.join(ROOT, 'deploy', ...p);

// The image's ecosystem file, loaded where the Dockerfile puts it: /app/ecosystem.json next to /app/examples.
async function imageConfig() {
  const app = tempDir('gs-image-');
  copyFileSync(deploy('ecosystem.json'), path.join(app, 'ecosystem.json'));
  symlinkSync(path.join(ROOT, 'examples'), path.join(app, 'examples'));
  return loadConfig(path.join(app, 'ecosystem.json'));
}

// Parses a YAML file; fails on any syntax error, naming the file.
function yamlDocs(file: string): Record<string, any>[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const d of docs) assert.deepEqual(d.errors.map((e) => e.message), [], `${file} is valid YAML`);
  return docs.map((d) => d.toJS() as Record<string, any>);
}

const [deployment, pdb] = yamlDocs(deploy('kubernetes/deployment.yaml'));
const [podMonitor] = yamlDocs(deploy('kubernetes/podmonitor.yaml'));
const pod = deployment!.spec.template.spec;
const container = pod.containers[0];

test('the Deployment gives the master preStop + longest kill_timeout + margin before SIGKILL', async () => {
  const config = await imageConfig();
  const budget = stopBudget(config);
  const preStop = container.lifecycle.preStop.exec.command as string[];
  assert.equal(preStop[0], 'sleep');
  const preStopS = Number(preStop[1]);
  assert.ok(pod.terminationGracePeriodSeconds > budget.killTimeoutS, 'grace period > kill_timeout');
  assert.ok(pod.terminationGracePeriodSeconds >= preStopS + budget.stopS, `grace ${pod.terminationGracePeriodSeconds} s >= preStop ${preStopS} s + kill_timeout ${budget.killTimeoutS} s + margin`);
});

test('the probes hit /healthz on the metrics port of the ecosystem file, which listens beyond loopback', async () => {
  const config = await imageConfig();
  assert.equal(config.metrics?.host, '0.0.0.0', 'kubelet probes and Prometheus connect to the pod IP');
  const port = container.ports.find((p: { name: string }) => p.name === 'metrics');
  assert.equal(port.containerPort, config.metrics?.port);
  for (const probe of [container.readinessProbe, container.livenessProbe]) {
    assert.equal(probe.httpGet.path, '/healthz');
    assert.equal(probe.httpGet.port, 'metrics');
  }
});

test('selectors agree: the Deployment, its PodDisruptionBudget and the PodMonitor select the same pods', () => {
  const labels = deployment!.spec.template.metadata.labels as Record<string, string>;
  for (const selector of [deployment!.spec.selector.matchLabels, pdb!.spec.selector.matchLabels, podMonitor!.spec.selector.matchLabels]) {
    for (const [k, v] of Object.entries(selector as Record<string, string>)) assert.equal(labels[k], v);
  }
  assert.ok(pdb!.spec.minAvailable < deployment!.spec.replicas, 'the PDB lets a drain proceed');
  assert.equal(podMonitor!.kind, 'PodMonitor');
  assert.equal(podMonitor!.spec.podMetricsEndpoints[0].port, 'metrics');
});

test('the Prometheus config parses, and promtool accepts it', () => {
  const [prom] = yamlDocs(deploy('prometheus.yml'));
  const jobs = prom!.scrape_configs as Record<string, any>[];
  const k8s = jobs.find((j) => j.kubernetes_sd_configs)!;
  assert.ok(k8s.relabel_configs.some((r: { regex: string }) => r.regex === container.ports[0].name));
  const check = (file: string) => spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8', timeout: 30_000 });
  const r = check(deploy('prometheus.yml'));
  if (r.error) return; // promtool is not installed here
  if (r.status !== 0 && /field kubernetes_sd_configs not found/.test(r.stdout + r.stderr)) {
    // Debian's Prometheus is built without Kubernetes discovery: check the rest of the file.
    const rest = path.join(tempDir(), 'prometheus.yml');
    writeFileSync(rest, stringify({ ...prom, scrape_configs: jobs.filter((j) => !j.kubernetes_sd_configs) }));
    const again = check(rest);
    assert.equal(again.status, 0, again.stdout + again.stderr);
    return;
  }
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the Dockerfile: node:20-slim, tini as PID 1, SIGTERM, runs /app/ecosystem.json, copies only what exists', () => {
  const lines = readFileSync(deploy('Dockerfile'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const instr = (name: string) => lines.filter((l) => l.startsWith(`${name} `));
  assert.ok(instr('FROM').every((l) => l.startsWith('FROM node:20-slim')));
  assert.deepEqual(instr('STOPSIGNAL'), ['STOPSIGNAL SIGTERM']);
  assert.deepEqual(JSON.parse(instr('ENTRYPOINT')[0]!.slice('ENTRYPOINT '.length)), ['tini', '--']);
  const cmd = JSON.parse(instr('CMD')[0]!.slice('CMD '.length)) as string[];
  assert.deepEqual([cmd[0], cmd[1], cmd.at(-1)], ['supervisor', 'run', '/app/ecosystem.json']);
  assert.ok(instr('COPY').includes('COPY deploy/ecosystem.json /app/ecosystem.json'));
  for (const copy of instr('COPY').filter((l) => !l.includes('--from='))) {
    for (const src of copy.split(/\s+/).slice(1, -1)) assert.ok(existsSync(path.join(ROOT, src)), `${src} exists in the build context`);
  }
  const config = JSON.parse(readFileSync(deploy('ecosystem.json'), 'utf8')) as { apps: { script: string }[] };
  for (const app of config.apps) assert.ok(existsSync(path.join(ROOT, app.script)), `${app.script} is in the image (relative to /app)`);
});
