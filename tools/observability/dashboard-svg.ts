/**
 * @module dashboard-svg
 * Draws a dashboard as one self-contained SVG: sections (the dashboard's rows) of small line
 * charts (tools/lib/svg-chart.ts), each with its title, y range, time axis and legend, laid
 * out as Grafana's grid places the panels. No Grafana runs here, so this is how docs/ shows
 * what an operator sees.
 */
import { DARK, legend, lineChart, svgDocument, text } from '../lib/svg-chart.ts';

export interface ChartSeries {
  name: string;
  /** [unix seconds, value]; NaN values leave a gap. */
  points: Array<[number, number]>;
}

export interface Chart {
  title: string;
  unit: string;
  /** Width in Grafana's grid columns, of 24. */
  span: number;
  series: ChartSeries[];
}

export interface Section {
  title: string;
  charts: Chart[];
}

export interface SvgOptions {
  title: string;
  subtitle: string;
  start: number;
  end: number;
  /** Seconds between points: a longer silence (a replica down) breaks the line. */
  step: number;
}

const PALETTE = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#b877d9', '#8ab8ff', '#ff9830'];
const WIDTH = 1400;
const CHART_H = 210;
const LEGEND_ITEM_W = 160;
const PLOT = { left: 58, right: 12, top: 30, bottom: 62 };
const GAP = 14;
const SECTION_HEADER = 30;

/** A value as Grafana would label it for the panel's unit. */
export function formatValue(value: number, unit: string): string {
  const trim = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)).replace(/\.(\d*?)0+$/, '.$1').replace(/\.$/, '');
  switch (unit) {
    case 'percentunit':
      return `${trim(value * 100)}%`;
    case 's':
      return value !== 0 && Math.abs(value) < 1 ? `${trim(value * 1000)} ms` : `${trim(value)} s`;
    case 'bytes':
    case 'Bps': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return `${trim(v)} ${units[i]}${unit === 'Bps' ? '/s' : ''}`;
    }
    case 'reqps':
      return `${trim(value)} req/s`;
    default:
      return trim(value);
  }
}

const clock = (t: number) => new Date(t * 1000).toISOString().slice(11, 16);

function renderChart(chart: Chart, x: number, y: number, width: number, o: SvgOptions): string {
  const values = chart.series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const top = max === min ? min + 1 : max + (max - min) * 0.05;
  const series = chart.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length]!, width: 1.5, points: s.points }));
  const perLine = Math.max(1, Math.floor((width - 20) / LEGEND_ITEM_W));
  const legendItems = series.slice(0, 2 * perLine).map((s) => {
    const last = [...s.points].reverse().find(([, v]) => Number.isFinite(v));
    const label = `${s.name}${last ? ` ${formatValue(last[1], chart.unit)}` : ''}`;
    return { name: label.length > 27 ? `${label.slice(0, 26)}…` : label, color: s.color, width: 3 };
  });
  const thirds = (from: number, to: number) => [0, 0.5, 1].map((f) => from + (to - from) * f);
  return [
    `<g transform="translate(${x},${y})">`,
    `<rect width="${width}" height="${CHART_H}" rx="3" fill="#181b1f" stroke="${DARK.grid}"/>`,
    text(10, 19, chart.title, { 'font-size': 13, 'font-weight': 600 }),
    ...lineChart({
      area: { x: PLOT.left, y: PLOT.top, width: width - PLOT.left - PLOT.right, height: CHART_H - PLOT.top - PLOT.bottom },
      x: { min: o.start, max: o.end, ticks: thirds(o.start, o.end), format: clock },
      y: { min, max: top, ticks: thirds(min, top), format: (v) => formatValue(v, chart.unit), grid: true },
      series,
      // A gap (NaN, or missing steps) breaks the line, as in Grafana.
      maxGap: 1.5 * o.step,
      noData: 'No data',
      xLabelsInside: true,
      frame: false,
      theme: DARK,
    }),
    ...legend(legendItems, { x: 2, y: CHART_H - 47, columns: perLine, columnWidth: LEGEND_ITEM_W, rowHeight: 14, swatch: 10, fontSize: 10, theme: DARK }),
    '</g>',
  ].join('\n');
}

/**
 * @example
 * writeFileSync('docs/monitoring.svg', renderSvg(sections, { title, subtitle, start, end, step }));
 */
export function renderSvg(sections: Section[], o: SvgOptions): string {
  const column = (WIDTH - GAP) / 24;
  const body: string[] = [text(GAP, 30, o.title, { fill: '#ffffff', 'font-size': 20, 'font-weight': 600 }), text(GAP, 50, o.subtitle, { fill: DARK.muted, 'font-size': 12 })];
  let y = 64;
  for (const section of sections) {
    body.push(text(GAP, y + 20, section.title, { 'font-size': 15, 'font-weight': 600 }));
    y += SECTION_HEADER;
    // Charts flow left to right as Grafana's grid places them, wrapping at 24 columns.
    let col = 0;
    for (const chart of section.charts) {
      if (col + chart.span > 24) {
        col = 0;
        y += CHART_H + GAP;
      }
      body.push(renderChart(chart, GAP + col * column, y, chart.span * column - GAP, o));
      col += chart.span;
    }
    y += CHART_H + GAP;
  }
  return svgDocument({ width: WIDTH, height: y, theme: DARK, fontFamily: 'Inter, Helvetica, Arial, sans-serif', fontSize: 10, body });
}
