/**
 * @module roc-svg
 * Draws ROC curves as one self-contained SVG (no fonts, scripts or styles fetched from
 * elsewhere) so the image can be committed next to the docs and viewed anywhere.
 */

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
const SIZE = 400;
const LEFT = 64;
const TOP = 64;
const RIGHT = 40;
const BOTTOM = 52;
const WIDTH = LEFT + SIZE + RIGHT;
const HEIGHT = TOP + SIZE + BOTTOM;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One decimal is finer than a pixel; whole numbers drop the ".0" to save bytes. */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const x = (fpr: number): number => LEFT + fpr * SIZE;
const y = (tpr: number): number => TOP + (1 - tpr) * SIZE;

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

function grid(): string[] {
  const parts: string[] = [];
  for (let i = 0; i <= 10; i++) {
    const t = i / 10;
    const major = i % 2 === 0;
    const stroke = major ? '#d0d0d0' : '#ececec';
    parts.push(
      `<line x1="${num(x(t))}" y1="${TOP}" x2="${num(x(t))}" y2="${TOP + SIZE}" stroke="${stroke}"/>`,
      `<line x1="${LEFT}" y1="${num(y(t))}" x2="${LEFT + SIZE}" y2="${num(y(t))}" stroke="${stroke}"/>`,
    );
    if (major) {
      const label = t.toFixed(1);
      parts.push(
        `<text x="${num(x(t))}" y="${TOP + SIZE + 18}" text-anchor="middle">${label}</text>`,
        `<text x="${LEFT - 8}" y="${num(y(t) + 4)}" text-anchor="end">${label}</text>`,
      );
    }
  }
  return parts;
}

function legend(series: RocSeries[]): string[] {
  const entries = [
    ...series.map((s, i) => ({
      text: `${s.label} (AUC ${Number.isNaN(s.auc) ? 'n/a' : s.auc.toFixed(3)})`,
      stroke: `stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2.5"`,
    })),
    { text: 'chance (AUC 0.500)', stroke: 'stroke="#888" stroke-dasharray="5 4"' },
  ];
  const rowHeight = 20;
  // No text metrics without a renderer: 7 px per character is generous for 12 px sans-serif.
  const width = 54 + 7 * Math.max(...entries.map((e) => e.text.length));
  const height = entries.length * rowHeight + 8;
  const left = LEFT + SIZE - width - 10;
  const top = TOP + SIZE - height - 10;
  const parts = [
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="#fff" fill-opacity="0.9" stroke="#bbb"/>`,
  ];
  entries.forEach((entry, i) => {
    const rowY = top + 4 + rowHeight * (i + 0.5);
    parts.push(
      `<line x1="${left + 10}" y1="${num(rowY)}" x2="${left + 36}" y2="${num(rowY)}" ${entry.stroke}/>`,
      `<text x="${left + 44}" y="${num(rowY + 4)}">${escapeXml(entry.text)}</text>`,
    );
  });
  return parts;
}

/**
 * @example
 * writeFileSync('docs/roc.svg', renderRocSvg({ model: info, dataset: 'dev.csv', n: 2492, series }));
 */
export function renderRocSvg(plot: RocPlot, maxPoints = MAX_POINTS): string {
  const curves = plot.series.map((s, i) => {
    const d = downsample(s.fpr, s.tpr, maxPoints)
      .map(([f, t], k) => `${k === 0 ? 'M' : 'L'}${num(x(f))} ${num(y(t))}`)
      .join('');
    const color = PALETTE[i % PALETTE.length];
    return `<path data-label="${escapeXml(s.label)}" d="${d}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"/>`;
  });
  const subtitle = `${plot.dataset} · n = ${plot.n.toLocaleString('en-US')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" fill="#222">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title(plot))}</text>`,
    `<text x="${WIDTH / 2}" y="44" text-anchor="middle" fill="#555">${escapeXml(subtitle)}</text>`,
    ...grid(),
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#888" stroke-dasharray="5 4"/>`,
    ...curves,
    `<rect x="${LEFT}" y="${TOP}" width="${SIZE}" height="${SIZE}" fill="none" stroke="#444"/>`,
    `<text x="${LEFT + SIZE / 2}" y="${HEIGHT - 12}" text-anchor="middle">False positive rate</text>`,
    `<text transform="translate(18 ${TOP + SIZE / 2}) rotate(-90)" text-anchor="middle">True positive rate</text>`,
    ...legend(plot.series),
    '</svg>',
    '',
  ].join('\n');
}
