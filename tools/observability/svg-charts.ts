/**
 * @module svg-charts
 * Draws a dashboard as one self-contained SVG: sections (the dashboard's rows) of small line
 * charts, each with its title, y range, time axis and legend. No Grafana runs here, so this is
 * how docs/ shows what an operator sees.
 */

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

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
  const plotW = width - PLOT.left - PLOT.right;
  const plotH = CHART_H - PLOT.top - PLOT.bottom;
  const values = chart.series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const top = max === min ? min + 1 : max + (max - min) * 0.05;
  const sx = (t: number) => PLOT.left + ((t - o.start) / (o.end - o.start)) * plotW;
  const sy = (v: number) => PLOT.top + plotH - ((v - min) / (top - min)) * plotH;
  const parts = [
    `<g transform="translate(${x},${y})">`,
    `<rect width="${width}" height="${CHART_H}" rx="3" fill="#181b1f" stroke="#2c3235"/>`,
    `<text x="10" y="19" class="title">${escape(chart.title)}</text>`,
  ];
  for (const f of [0, 0.5, 1]) {
    const v = min + (top - min) * f;
    parts.push(`<line x1="${PLOT.left}" x2="${PLOT.left + plotW}" y1="${sy(v)}" y2="${sy(v)}" class="grid"/>`);
    parts.push(`<text x="${PLOT.left - 5}" y="${sy(v) + 4}" class="axis" text-anchor="end">${escape(formatValue(v, chart.unit))}</text>`);
  }
  for (const f of [0, 0.5, 1]) {
    const t = o.start + (o.end - o.start) * f;
    const anchor = f === 0 ? 'start' : f === 1 ? 'end' : 'middle';
    parts.push(`<text x="${sx(t)}" y="${PLOT.top + plotH + 14}" class="axis" text-anchor="${anchor}">${clock(t)}</text>`);
  }
  if (values.length === 0) parts.push(`<text x="${PLOT.left + plotW / 2}" y="${PLOT.top + plotH / 2}" class="nodata" text-anchor="middle">No data</text>`);
  chart.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    // A gap (NaN, or missing steps) breaks the line, as in Grafana.
    const d = s.points
      .map(([t, v], j) => {
        if (!Number.isFinite(v)) return '';
        const prev = s.points[j - 1];
        const move = !prev || !Number.isFinite(prev[1]) || t - prev[0] > 1.5 * o.step ? 'M' : 'L';
        return `${move}${sx(t).toFixed(1)},${sy(v).toFixed(1)}`;
      })
      .join('');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  });
  const perLine = Math.max(1, Math.floor((width - 20) / LEGEND_ITEM_W));
  const legend = chart.series.slice(0, 2 * perLine);
  legend.forEach((s, i) => {
    const lx = 10 + (i % perLine) * LEGEND_ITEM_W;
    const ly = CHART_H - 30 + Math.floor(i / perLine) * 14;
    const last = [...s.points].reverse().find(([, v]) => Number.isFinite(v));
    const label = `${s.name}${last ? ` ${formatValue(last[1], chart.unit)}` : ''}`;
    parts.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${PALETTE[i % PALETTE.length]}"/>`);
    parts.push(`<text x="${lx + 14}" y="${ly - 3}" class="legend">${escape(label.length > 27 ? `${label.slice(0, 26)}…` : label)}</text>`);
  });
  parts.push('</g>');
  return parts.join('\n');
}

/**
 * @example
 * writeFileSync('docs/monitoring.svg', renderSvg(sections, { title, subtitle, start, end }));
 */
export function renderSvg(sections: Section[], o: SvgOptions): string {
  const width = WIDTH;
  const column = (width - GAP) / 24;
  const body: string[] = [];
  let y = 64;
  for (const section of sections) {
    body.push(`<text x="${GAP}" y="${y + 20}" class="section">${escape(section.title)}</text>`);
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
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="Inter, Helvetica, Arial, sans-serif">
<style>
.title { fill: #d8d9da; font-size: 13px; font-weight: 600; }
.section { fill: #d8d9da; font-size: 15px; font-weight: 600; }
.axis { fill: #8e8e8e; font-size: 10px; }
.legend { fill: #c7d0d9; font-size: 10px; }
.nodata { fill: #8e8e8e; font-size: 13px; }
.grid { stroke: #2c3235; stroke-width: 1; }
</style>
<rect width="100%" height="100%" fill="#111217"/>
<text x="${GAP}" y="30" fill="#ffffff" font-size="20" font-weight="600">${escape(o.title)}</text>
<text x="${GAP}" y="50" fill="#8e8e8e" font-size="12">${escape(o.subtitle)}</text>
${body.join('\n')}
</svg>
`;
}
