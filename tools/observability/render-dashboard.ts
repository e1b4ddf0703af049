/**
 * @module render-dashboard
 * Draws a Grafana dashboard of this repository from a live Prometheus, as an SVG picture of
 * what an operator sees, for docs/ and for machines where no Grafana runs.
 *
 * Usage: tsx tools/observability/render-dashboard.ts <prometheus-url>
 *          [--minutes 15] [--dashboard toxicity-service] [--out reports/monitoring.svg]
 * `--out docs/monitoring.svg` redraws the README's picture.
 * e.g. after `npm run stack` and a load run: ... render-dashboard.ts http://127.0.0.1:9090
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadDashboards, toPromQL, type Dashboard } from './dashboard-queries.ts';
import { rangeQuery } from './prometheus-api.ts';
import { renderSvg, type Chart, type Section } from './dashboard-svg.ts';

/** Grafana's legend: `{{label}}` from the series, or every label when the format is empty or auto. */
export function legendName(format: string, metric: Record<string, string>): string {
  if (format && format !== '__auto') return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => metric[name] ?? '');
  const labels = Object.entries(metric).filter(([k]) => k !== '__name__');
  return labels.length ? labels.map(([k, v]) => `${k}=${v}`).join(', ') : 'value';
}

async function chartOf(prometheusUrl: string, panel: Dashboard['panels'][number], start: Date, end: Date, step: number, window: string): Promise<Chart> {
  const series = await Promise.all(
    (panel.targets ?? []).map(async (target) =>
      (await rangeQuery(prometheusUrl, toPromQL(target.expr, window), start, end, step)).map((s) => ({
        name: legendName(target.legendFormat ?? '', s.metric),
        points: s.values.map(([t, v]) => [t, Number(v)] as [number, number]),
      })),
    ),
  );
  return { title: panel.title, unit: panel.fieldConfig?.defaults?.unit ?? 'short', span: panel.gridPos.w, series: series.flat() };
}

/** The dashboard's rows become sections, each panel below a row one chart. */
export async function renderDashboard(dashboard: Dashboard, prometheusUrl: string, minutes: number): Promise<string> {
  const end = new Date();
  const start = new Date(end.getTime() - minutes * 60_000);
  // About 300 points across, like a Grafana panel, and a rate window of at least 4 steps.
  const step = Math.max(1, Math.round((minutes * 60) / 300));
  const window = `${Math.max(60, 4 * step)}s`;
  const sections: Section[] = [];
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') sections.push({ title: panel.title, charts: [] });
    else {
      if (sections.length === 0) sections.push({ title: '', charts: [] });
      sections.at(-1)!.charts.push(await chartOf(prometheusUrl, panel, start, end, step, window));
    }
  }
  return renderSvg(sections, {
    title: dashboard.title,
    subtitle: `Last ${minutes} minutes (UTC), queried from ${prometheusUrl} at ${end.toISOString()}; the same queries as the Grafana dashboard "${dashboard.uid}".`,
    start: start.getTime() / 1000,
    end: end.getTime() / 1000,
    step,
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      minutes: { type: 'string', default: '15' },
      dashboard: { type: 'string', default: 'toxicity-service' },
      out: { type: 'string', default: 'reports/monitoring.svg' },
    },
  });
  const [prometheusUrl] = positionals;
  const minutes = Number(values.minutes);
  if (!prometheusUrl || !(minutes > 0)) {
    console.error('usage: render-dashboard.ts <prometheus-url> [--minutes 15] [--dashboard toxicity-service] [--out reports/monitoring.svg]');
    process.exit(2);
  }
  const found = loadDashboards().find((d) => d.dashboard.uid === values.dashboard);
  if (!found) throw new Error(`no dashboard with uid ${values.dashboard}`);
  mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
  writeFileSync(values.out, await renderDashboard(found.dashboard, prometheusUrl.replace(/\/$/, ''), minutes));
  console.log(`wrote ${values.out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
