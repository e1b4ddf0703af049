/**
 * The observability configuration as the tools themselves read it: promtool checks the
 * Prometheus configs and rules and runs the alert unit tests, amtool checks Alertmanager's
 * config and routing; then what the tools cannot see: every alert carries severity, summary,
 * description and a runbook that exists, every alert has a firing and a silent unit test, and
 * the dashboards point at the provisioned data source.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../tools/lib/repo.ts';
import { loadDashboards, panelQueries } from '../../tools/observability/dashboard-queries.ts';
import { nativePrometheusConfig } from '../../tools/stack/prometheus-config.ts';
import { loadRuleFiles, RULES_DIR } from './fast-rules.ts';

const run = promisify(execFile);
const OBS = path.join(REPO_ROOT, 'observability');
const PROM = path.join(OBS, 'prometheus');
const ALERTMANAGER_CONFIG = path.join(OBS, 'alertmanager/alertmanager.yml');
const ruleFiles = readdirSync(RULES_DIR).map((f) => path.join(RULES_DIR, f));
const unitTestFiles = readdirSync(path.join(PROM, 'tests')).map((f) => path.join(PROM, 'tests', f));
const alertRules = loadRuleFiles().flatMap(({ rules }) => rules.groups.flatMap((g) => g.rules)).filter((r) => r.alert);
const alertNames = [...new Set(alertRules.map((r) => r.alert!))];
const nativeConfig = nativePrometheusConfig({
  functionPorts: [3001, 3002],
  nodeExporterPort: 9100,
  alertmanagerPort: 9093,
  prometheusPort: 9090,
  rulesDir: RULES_DIR,
  scrapeInterval: '5s',
  evaluationInterval: '5s',
});

/** Runs a tool and returns its output; a non-zero exit fails with the tool's own words. */
async function tool(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: REPO_ROOT });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

describe('promtool', () => {
  it('accepts the compose prometheus.yml', async () => {
    expect(await tool('promtool', ['check', 'config', path.join(PROM, 'prometheus.yml')])).toContain('SUCCESS');
  });

  it('accepts the native stack config with the real rule files loaded through it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'native-prom-'));
    try {
      const file = path.join(dir, 'prometheus.yml');
      writeFileSync(file, nativeConfig);
      const out = await tool('promtool', ['check', 'config', file]);
      for (const rules of ruleFiles) expect(out).toContain(`Checking ${rules}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the native stack\'s jobs, plus cAdvisor, so rules and dashboards select the same jobs', () => {
    const jobs = (text: string) => (parse(text) as { scrape_configs: Array<{ job_name: string }> }).scrape_configs.map((c) => c.job_name).sort();
    expect(jobs(readFileSync(path.join(PROM, 'prometheus.yml'), 'utf8'))).toEqual([...jobs(nativeConfig), 'cadvisor'].sort());
  });

  it('accepts the rule files', async () => {
    expect(await tool('promtool', ['check', 'rules', ...ruleFiles])).not.toContain('FAILED');
  });

  it('passes the alert and recording rule unit tests', async () => {
    const out = await tool('promtool', ['test', 'rules', ...unitTestFiles]);
    expect(out).not.toContain('FAILED');
    expect(out.match(/SUCCESS/g)).toHaveLength(unitTestFiles.length);
  });
});

describe('every alert', () => {
  const tests = unitTestFiles.flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }> };
    return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
  });

  it.each(alertNames)('%s has a unit test where it fires and one where it stays silent', (name) => {
    const mine = tests.filter((t) => t.alertname === name);
    expect(mine.some((t) => (t.exp_alerts ?? []).length > 0), 'a firing case').toBe(true);
    expect(mine.some((t) => (t.exp_alerts ?? []).length === 0), 'a silent case').toBe(true);
  });

  it.each(alertRules.map((r) => [`${r.alert} (${(r.labels as Record<string, string>).severity})`, r] as const))(
    '%s has a severity, a one-line summary, a description with numbers and a README runbook',
    (_, rule) => {
      const labels = rule.labels as Record<string, string>;
      const annotations = rule.annotations as Record<string, string>;
      expect(['critical', 'warning']).toContain(labels.severity);
      expect(annotations.summary).toMatch(/^[^\n]+$/);
      expect(annotations.description).toMatch(/\{\{ \$(value|labels)/);
      expect(annotations.runbook).toBe(`README.md#alert-${rule.alert!.toLowerCase()}`);
    },
  );

  it('has its runbook section in README.md, under a "### Alert: <name>" heading', () => {
    const headings = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').match(/^### Alert: \S+$/gm) ?? [];
    expect(headings).toEqual(expect.arrayContaining(alertNames.map((name) => `### Alert: ${name}`)));
  });
});

describe('amtool', () => {
  it('accepts alertmanager.yml', async () => {
    expect(await tool('amtool', ['check-config', ALERTMANAGER_CONFIG])).toContain('SUCCESS');
  });

  it.each([
    ['severity=critical', 'alertname=AllFunctionsDown', 'critical'],
    ['severity=critical', 'alertname=HostMemoryLow', 'critical'],
    ['severity=warning', 'alertname=FunctionDown', 'warning'],
    // An alert someone adds without a severity still reaches a human.
    ['team=unknown', 'alertname=Unlabelled', 'warning'],
  ])('routes an alert with %s %s to the %s receiver', async (severity, alertname, receiver) => {
    const out = await tool('amtool', ['config', 'routes', 'test', `--config.file=${ALERTMANAGER_CONFIG}`, `--verify.receivers=${receiver}`, severity, alertname]);
    expect(out.trim().split('\n')[0]).toBe(receiver);
  });
});

describe('Grafana provisioning', () => {
  it('provides Prometheus under uid "prometheus" at the compose address', () => {
    const ds = parse(readFileSync(path.join(OBS, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    expect(ds.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' })]);
  });

  it('loads the dashboards folder from where compose mounts it', () => {
    const text = readFileSync(path.join(OBS, 'grafana/provisioning/dashboards/dashboards.yml'), 'utf8');
    const providers = (parse(text) as { providers: Array<{ type: string; options: { path: string } }> }).providers;
    expect(providers).toEqual([expect.objectContaining({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } })]);
  });

  it('has the two dashboards, every panel and query on the provisioned data source', () => {
    const dashboards = loadDashboards().map((d) => d.dashboard);
    expect(dashboards.map((d) => d.uid).sort()).toEqual(['host-containers', 'toxicity-service']);
    for (const d of dashboards) {
      expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
      const panels = d.panels.filter((p) => p.type !== 'row');
      expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
      for (const p of panels) {
        expect(p.datasource?.uid, p.title).toBe('prometheus');
        expect(p.targets?.length, p.title).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe('prometheus');
      }
      for (const v of d.templating.list) expect(v.datasource?.uid).toBe('prometheus');
      expect(panelQueries(d).every((q) => !q.promql.includes('$')), 'no Grafana variable left after substitution').toBe(true);
    }
  });
});
