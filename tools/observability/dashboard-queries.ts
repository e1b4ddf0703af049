/**
 * @module dashboard-queries
 * Reads the Grafana dashboards in observability/grafana/dashboards/ and turns each panel's
 * queries into plain PromQL that Prometheus answers without Grafana: the tests check every one
 * returns data, and the renderer draws them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/repo.ts';

export const DASHBOARD_DIR = path.join(REPO_ROOT, 'observability/grafana/dashboards');

export interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  datasource?: { type: string; uid: string };
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  fieldConfig?: { defaults?: { unit?: string } };
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; datasource?: { uid: string } }> };
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  unit: string;
  refId: string;
  legendFormat: string;
  /** The query as Grafana holds it, with its variables. */
  expr: string;
  /** The query with Grafana's variables replaced, for Prometheus' API. */
  promql: string;
}

export function loadDashboards(dir = DASHBOARD_DIR): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Dashboard }));
}

/**
 * Grafana's built-in interval variables become `window`, and dashboard variables (all of ours
 * are replica filters with an "All" of `.*`) match everything.
 */
export function toPromQL(expr: string, window = '1m'): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, window)
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '.*');
}

/**
 * @example
 * for (const q of panelQueries(dashboard)) console.log(q.panel, q.promql);
 */
export function panelQueries(dashboard: Dashboard, window = '1m'): PanelQuery[] {
  return dashboard.panels
    .filter((panel) => panel.type !== 'row')
    .flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        dashboard: dashboard.uid,
        panel: panel.title,
        unit: panel.fieldConfig?.defaults?.unit ?? 'short',
        refId: target.refId,
        legendFormat: target.legendFormat ?? '',
        expr: target.expr,
        promql: toPromQL(target.expr, window),
      })),
    );
}
