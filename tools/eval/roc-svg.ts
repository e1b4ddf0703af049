/**
 * @module roc-svg
 * Draws ROC curves as one self-contained SVG (tools/lib/svg-chart.ts), thinned to a few
 * hundred points each so the file stays small.
 */
import { legend, LIGHT, lineChart, svgDocument, text } from '../lib/svg-chart.ts';

export interface RocSeries {
  label: string;
  /** NaN when undefined (no positives or no negatives); the legend then says "n/a". */
  auc: number;
  fpr: readonly number[];
  tpr: readonly number[];
}

export interface RocPlot {
  model: { id: string; dtype: string; offline: boolean };
  /** Name of the evaluated file, shown in the subtitle. */
  dataset: string;
  n: number;
  series: RocSeries[];
}

/** Default cap on points per curve: smooth at this size, and keeps the file a few kB. */
export const MAX_POINTS = 300;

const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const AREA = { x: 64, y: 64, width: 400, height: 400 };
const WIDTH = AREA.x + AREA.width + 40;
const HEIGHT = AREA.y + AREA.height + 52;
const CHANCE = { color: '#888', dash: '5 4' };

/**
 * Keeps a point each time the curve has travelled 2 / maxPoints (in fpr + tpr) since the last
 * kept one. A ROC curve travels at most 2 in total, so at most maxPoints + 2 points remain,
 * spread along the curve where it actually moves, and both ends are always kept.
 * @example
 * downsample(curve.fpr, curve.tpr, 300).length; // ≤ 302
 */
export function downsample(fpr: readonly number[], tpr: readonly number[], maxPoints: number): [number, number][] {
  const step = 2 / maxPoints;
  const kept: [number, number][] = [];
  let travelled = Infinity;
  for (let i = 0; i < fpr.length; i++) {
    if (i > 0) travelled += Math.abs(fpr[i]! - fpr[i - 1]!) + Math.abs(tpr[i]! - tpr[i - 1]!);
    if (travelled >= step || i === fpr.length - 1) {
      kept.push([fpr[i]!, tpr[i]!]);
      travelled = 0;
    }
  }
  return kept;
}

function title(plot: RocPlot): string {
  const model = `${plot.model.id} (${plot.model.dtype}${plot.model.offline ? ', offline stand-in' : ''})`;
  return `ROC — ${model}`;
}

const auc = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(3));

/**
 * @example
 * writeFileSync('docs/roc.svg', renderRocSvg({ model: info, dataset: 'dev.csv', n: 2492, series }));
 */
export function renderRocSvg(plot: RocPlot, maxPoints = MAX_POINTS): string {
  const tenths = Array.from({ length: 11 }, (_, i) => i / 10);
  const axis = (label: string) => ({
    min: 0,
    max: 1,
    ticks: tenths.filter((_, i) => i % 2 === 0),
    minorTicks: tenths.filter((_, i) => i % 2 === 1),
    format: (v: number) => v.toFixed(1),
    label,
    grid: true,
  });
  const series = plot.series.map((s, i) => ({
    name: `${s.label} (AUC ${auc(s.auc)})`,
    dataLabel: s.label,
    color: PALETTE[i % PALETTE.length]!,
    width: 2.5,
    points: downsample(s.fpr, s.tpr, maxPoints),
  }));
  return svgDocument({
    width: WIDTH,
    height: HEIGHT,
    theme: LIGHT,
    body: [
      text(WIDTH / 2, 24, title(plot), { 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 'bold' }),
      text(WIDTH / 2, 44, `${plot.dataset} · n = ${plot.n.toLocaleString('en-US')}`, { 'text-anchor': 'middle', fill: LIGHT.muted }),
      ...lineChart({
        area: AREA,
        x: axis('False positive rate'),
        y: axis('True positive rate'),
        series,
        lines: [{ from: [0, 0], to: [1, 1], ...CHANCE }],
        theme: LIGHT,
      }),
      ...legend([...series, { name: 'chance (AUC 0.500)', ...CHANCE }], {
        x: AREA.x + AREA.width - 10,
        y: AREA.y + AREA.height - 10,
        anchor: 'bottom-right',
        rowHeight: 20,
        swatch: 26,
        box: true,
        theme: LIGHT,
      }),
    ],
  });
}
