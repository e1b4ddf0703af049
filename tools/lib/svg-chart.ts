/**
 * @module svg-chart
 * Line charts as self-contained SVG (no scripts, styles, fonts or anything fetched from
 * elsewhere), so a picture can sit in docs/ and be viewed anywhere. A chart is a plot area with
 * its axes, grid, reference lines and series; a legend and titles go beside it; svgDocument
 * wraps them into one file. The ROC curves (tools/eval), the load plot (tools/bench) and the
 * dashboard picture (tools/observability) are drawn with it.
 */

export interface Theme {
  background: string;
  text: string;
  /** Tick labels and subtitles. */
  muted: string;
  grid: string;
  minorGrid: string;
  frame: string;
}

export const LIGHT: Theme = { background: '#fff', text: '#222', muted: '#555', grid: '#ddd', minorGrid: '#f0f0f0', frame: '#999' };
/** Grafana's dark look, for the dashboard picture. */
export const DARK: Theme = { background: '#111217', text: '#d8d9da', muted: '#8e8e8e', grid: '#2c3235', minorGrid: '#2c3235', frame: '#2c3235' };

export interface Axis {
  min: number;
  max: number;
  log?: boolean;
  /** Labelled values; each also gets a grid line when `grid` is set. */
  ticks: readonly number[];
  /** Fainter grid lines without labels. */
  minorTicks?: readonly number[];
  format?: (value: number) => string;
  /** The axis title. */
  label?: string;
  grid?: boolean;
}

export interface Series {
  name: string;
  color: string;
  /** [x, y]; a y that is undefined or not finite leaves a gap in the line. */
  points: ReadonlyArray<readonly [number, number | undefined]>;
  width?: number;
  /** A dot on every point. */
  markers?: boolean;
  /** Written as the path's data-label, so a reader of the file can find the curve. */
  dataLabel?: string;
}

/** A straight line in data coordinates: a reference level, ROC's diagonal. */
export interface RefLine {
  from: readonly [number, number];
  to: readonly [number, number];
  color: string;
  dash?: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartOptions {
  /** The plot area, in the picture's pixels. */
  area: Box;
  x: Axis;
  y: Axis;
  series: readonly Series[];
  lines?: readonly RefLine[];
  /** A step in x longer than this breaks a line (a replica that was down). */
  maxGap?: number;
  /** Shown in the middle when no series has a point. */
  noData?: string;
  /** The first and last x labels align with the plot's edges instead of centring on them. */
  xLabelsInside?: boolean;
  /** Draws the plot area's outline (default true). */
  frame?: boolean;
  theme: Theme;
}

export interface LegendItem {
  name: string;
  color: string;
  width?: number;
  dash?: string;
}

export interface LegendOptions {
  /** The corner given by `anchor` (default: top-left). */
  x: number;
  y: number;
  anchor?: 'top-left' | 'bottom-right';
  columns?: number;
  columnWidth?: number;
  rowHeight?: number;
  swatch?: number;
  fontSize?: number;
  /** A background box behind the entries. */
  box?: boolean;
  theme: Theme;
}

/** For text and double-quoted attributes alike. */
const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One decimal is finer than a pixel; whole numbers drop the ".0" to save bytes. */
const num = (value: number): string => String(Math.round(value * 10) / 10);

const attributes = (attrs: Record<string, string | number | undefined>): string =>
  Object.entries(attrs)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value!)}"`)
    .join('');

export const text = (x: number, y: number, content: string, attrs: Record<string, string | number | undefined> = {}): string =>
  `<text${attributes({ x, y, ...attrs })}>${escapeXml(content)}</text>`;

const line = (x1: number, y1: number, x2: number, y2: number, attrs: Record<string, string | number | undefined>): string =>
  `<line${attributes({ x1, y1, x2, y2, ...attrs })}/>`;

/**
 * A "nice" upper bound and step for a linear axis from 0: about five steps of 1, 2, 2.5 or 5
 * times a power of ten.
 * @example
 * niceAxis(87); // → { max: 100, step: 20 }
 */
export function niceAxis(max: number): { max: number; step: number } {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return { max: Math.ceil(max / step) * step, step };
}

/** 0, step, 2·step, … up to max. */
export const steps = (max: number, step: number): number[] => Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);

function scale(axis: Axis, from: number, length: number, flip: boolean): (value: number) => number {
  const at = axis.log ? Math.log10 : (v: number) => v;
  return (value) => {
    const f = Math.max(0, Math.min(1, (at(value) - at(axis.min)) / (at(axis.max) - at(axis.min))));
    return from + (flip ? 1 - f : f) * length;
  };
}

/**
 * The chart's SVG elements: grid, tick labels, axis titles, reference lines, series, outline.
 * @example
 * lineChart({ area: { x: 60, y: 40, width: 400, height: 200 }, x: { min: 0, max: 10, ticks: [0, 5, 10] },
 *             y: { min: 0, max: 1, ticks: [0, 1], grid: true }, series: [{ name: 'a', color: '#1f77b4', points }], theme: LIGHT });
 */
export function lineChart(o: ChartOptions): string[] {
  const { area, theme } = o;
  const sx = scale(o.x, area.x, area.width, false);
  const sy = scale(o.y, area.y, area.height, true);
  const right = area.x + area.width;
  const bottom = area.y + area.height;
  const out: string[] = [];
  const gridLines = (axis: Axis, values: readonly number[], color: string) => {
    if (!axis.grid) return;
    for (const v of values) {
      out.push(axis === o.x ? line(sx(v), area.y, sx(v), bottom, { stroke: color }) : line(area.x, sy(v), right, sy(v), { stroke: color }));
    }
  };
  for (const axis of [o.x, o.y]) gridLines(axis, axis.minorTicks ?? [], theme.minorGrid);
  for (const axis of [o.x, o.y]) gridLines(axis, axis.ticks, theme.grid);
  const label = (axis: Axis, v: number) => (axis.format ?? String)(v);
  o.y.ticks.forEach((v) => out.push(text(area.x - 6, sy(v) + 4, label(o.y, v), { 'text-anchor': 'end', fill: theme.muted })));
  o.x.ticks.forEach((v, i) => {
    const edge = o.xLabelsInside ? (i === 0 ? 'start' : i === o.x.ticks.length - 1 ? 'end' : undefined) : undefined;
    out.push(text(sx(v), bottom + 16, label(o.x, v), { 'text-anchor': edge ?? 'middle', fill: theme.muted }));
  });
  if (o.x.label) out.push(text(area.x + area.width / 2, bottom + 36, o.x.label, { 'text-anchor': 'middle' }));
  if (o.y.label) out.push(text(0, 0, o.y.label, { transform: `translate(${num(area.x - 48)} ${num(area.y + area.height / 2)}) rotate(-90)`, 'text-anchor': 'middle' }));
  for (const ref of o.lines ?? []) {
    out.push(line(sx(ref.from[0]), sy(ref.from[1]), sx(ref.to[0]), sy(ref.to[1]), { stroke: ref.color, 'stroke-dasharray': ref.dash ?? '6 4' }));
  }
  let drawn = 0;
  for (const s of o.series) {
    const shown = s.points.filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
    drawn += shown.length;
    const d = s.points
      .map(([x, y], i) => {
        if (y === undefined || !Number.isFinite(y)) return '';
        const prev = s.points[i - 1];
        const gap = !prev || prev[1] === undefined || !Number.isFinite(prev[1]) || (o.maxGap !== undefined && x - prev[0] > o.maxGap);
        return `${gap ? 'M' : 'L'}${num(sx(x))},${num(sy(y))}`;
      })
      .join('');
    if (d) out.push(`<path${attributes({ 'data-label': s.dataLabel, d, fill: 'none', stroke: s.color, 'stroke-width': s.width ?? 2, 'stroke-linejoin': 'round' })}/>`);
    if (s.markers) for (const [x, y] of shown) out.push(`<circle${attributes({ cx: sx(x), cy: sy(y), r: 3, fill: s.color })}/>`);
  }
  if (drawn === 0 && o.noData) out.push(text(area.x + area.width / 2, area.y + area.height / 2, o.noData, { 'text-anchor': 'middle', fill: theme.muted, 'font-size': 13 }));
  if (o.frame ?? true) out.push(`<rect${attributes({ x: area.x, y: area.y, width: area.width, height: area.height, fill: 'none', stroke: theme.frame })}/>`);
  return out;
}

/** One row per item (or `columns` per row), each a short line in the item's colour and its name. */
export function legend(items: readonly LegendItem[], o: LegendOptions): string[] {
  const columns = o.columns ?? 1;
  const rowHeight = o.rowHeight ?? 18;
  const swatch = o.swatch ?? 24;
  const fontSize = o.fontSize ?? 12;
  // No text metrics without a renderer: 0.6 em per character is generous for sans-serif.
  const columnWidth = o.columnWidth ?? swatch + 16 + 0.6 * fontSize * Math.max(0, ...items.map((item) => item.name.length));
  const width = columns * columnWidth;
  const height = Math.ceil(items.length / columns) * rowHeight + 8;
  const left = o.anchor === 'bottom-right' ? o.x - width : o.x;
  const top = o.anchor === 'bottom-right' ? o.y - height : o.y;
  const out = o.box ? [`<rect${attributes({ x: left, y: top, width, height, fill: o.theme.background, 'fill-opacity': '0.9', stroke: o.theme.frame })}/>`] : [];
  items.forEach((item, i) => {
    const x = left + 8 + (i % columns) * columnWidth;
    const y = top + 4 + rowHeight * (Math.floor(i / columns) + 0.5);
    out.push(line(x, y, x + swatch, y, { stroke: item.color, 'stroke-width': item.width ?? 2, 'stroke-dasharray': item.dash }));
    out.push(text(x + swatch + 6, y + fontSize / 3, item.name, { 'font-size': o.fontSize }));
  });
  return out;
}

/**
 * @example
 * writeFileSync('reports/plot.svg', svgDocument({ width: 600, height: 400, title: 'Load', theme: LIGHT, body: lineChart(...) }));
 */
export function svgDocument(o: { width: number; height: number; theme: Theme; title?: string; fontFamily?: string; fontSize?: number; body: readonly string[] }): string {
  const root = attributes({
    width: o.width,
    height: o.height,
    viewBox: `0 0 ${num(o.width)} ${num(o.height)}`,
    'font-family': o.fontFamily ?? 'sans-serif',
    'font-size': o.fontSize ?? 12,
    fill: o.theme.text,
    role: o.title === undefined ? undefined : 'img',
    'aria-label': o.title,
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg"${root}>`,
    ...(o.title === undefined ? [] : [`<title>${escapeXml(o.title)}</title>`]),
    `<rect width="100%" height="100%" fill="${o.theme.background}"/>`,
    ...o.body,
    '</svg>',
    '',
  ].join('\n');
}
