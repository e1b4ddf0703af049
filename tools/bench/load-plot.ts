/**
 * @module load-plot
 * The benchmark's plot as one self-contained SVG (no scripts, no external fonts): throughput
 * against offered load on top, with the bare-ORT ceiling and the stack's closed-loop maximum
 * as reference lines, and latency against offered load below, on a log scale.
 */

export interface LoadPoint {
  offeredRps: number;
  /** 200 answers per second. */
  okRps: number;
  /** 503 answers per second. */
  shedRps: number;
  okP50Ms: number | undefined;
  okP99Ms: number | undefined;
  shedP99Ms: number | undefined;
}

export interface PlotInput {
  title: string;
  subtitle: string;
  points: LoadPoint[];
  ceilingTps: number;
  stackTps: number;
}

const WIDTH = 760;
const PANEL = { left: 70, right: 190, top: 60, height: 220, gap: 70 };
const COLORS = { ok: '#1f77b4', shed: '#d62728', ceiling: '#555', stack: '#2ca02c', p50: '#1f77b4', p99: '#ff7f0e', shedP99: '#d62728' };

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (value: number) =>
  Number.isInteger(value) || value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : String(Number(value.toPrecision(2)));

/** A "nice" upper bound and step for a linear axis. */
function niceAxis(max: number): { max: number; step: number } {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  return { max: Math.ceil(max / step) * step, step };
}

interface Series {
  name: string;
  color: string;
  values: (number | undefined)[];
  dashed?: boolean;
}

function panel(
  top: number,
  xs: readonly number[],
  xMax: number,
  series: readonly Series[],
  y: { label: string; log: boolean; min: number; max: number; ticks: number[] },
  refs: readonly { name: string; value: number; color: string }[],
): string {
  const plotWidth = WIDTH - PANEL.left - PANEL.right;
  const sx = (x: number) => PANEL.left + (x / xMax) * plotWidth;
  const sy = (v: number) => {
    const f = y.log ? (Math.log10(v) - Math.log10(y.min)) / (Math.log10(y.max) - Math.log10(y.min)) : (v - y.min) / (y.max - y.min);
    return top + PANEL.height - Math.max(0, Math.min(1, f)) * PANEL.height;
  };
  const out: string[] = [`<rect x="${PANEL.left}" y="${top}" width="${plotWidth}" height="${PANEL.height}" fill="none" stroke="#999"/>`];
  for (const tick of y.ticks) {
    out.push(`<line x1="${PANEL.left}" x2="${PANEL.left + plotWidth}" y1="${sy(tick)}" y2="${sy(tick)}" stroke="#eee"/>`);
    out.push(`<text x="${PANEL.left - 6}" y="${sy(tick) + 4}" text-anchor="end">${fmt(tick)}</text>`);
  }
  const xAxis = niceAxis(xMax);
  for (let x = 0; x <= xMax + 1e-9; x += xAxis.step) {
    out.push(`<text x="${sx(x)}" y="${top + PANEL.height + 16}" text-anchor="middle">${fmt(x)}</text>`);
  }
  out.push(`<text x="${PANEL.left + plotWidth / 2}" y="${top + PANEL.height + 34}" text-anchor="middle">offered load, requests/s (one tweet each)</text>`);
  out.push(`<text transform="translate(${PANEL.left - 48} ${top + PANEL.height / 2}) rotate(-90)" text-anchor="middle">${esc(y.label)}</text>`);
  const legend: { name: string; color: string; dashed?: boolean }[] = [];
  for (const ref of refs) {
    out.push(`<line x1="${PANEL.left}" x2="${PANEL.left + plotWidth}" y1="${sy(ref.value)}" y2="${sy(ref.value)}" stroke="${ref.color}" stroke-dasharray="6 4"/>`);
    legend.push({ name: `${ref.name} ${fmt(ref.value)}`, color: ref.color, dashed: true });
  }
  for (const s of series) {
    const pts = xs.flatMap((x, i) => (s.values[i] === undefined ? [] : [[sx(x), sy(s.values[i]!)] as const]));
    if (pts.length === 0) continue;
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`);
    for (const [a, b] of pts) out.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3" fill="${s.color}"/>`);
    legend.push(s);
  }
  legend.forEach((item, i) => {
    const ly = top + 12 + i * 18;
    const lx = WIDTH - PANEL.right + 14;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}">${esc(item.name)}</text>`);
  });
  return out.join('\n');
}

/**
 * @example
 * writeFileSync('docs/bench.svg', loadPlotSvg({ title, subtitle, points, ceilingTps: 60, stackTps: 48 }));
 */
export function loadPlotSvg(input: PlotInput): string {
  const points = [...input.points].sort((a, b) => a.offeredRps - b.offeredRps);
  const xs = points.map((p) => p.offeredRps);
  const xMax = niceAxis(Math.max(...xs) * 1.05).max;
  const tpsAxis = niceAxis(Math.max(input.ceilingTps, input.stackTps, ...points.map((p) => Math.max(p.okRps, p.shedRps))) * 1.1);
  const top2 = PANEL.top + PANEL.height + PANEL.gap;
  const latencies = points.flatMap((p) => [p.okP50Ms, p.okP99Ms, p.shedP99Ms]).filter((v): v is number => v !== undefined && v > 0);
  const latencyMax = 10 ** Math.ceil(Math.log10(Math.max(...latencies, 10)));
  const latencyMin = Math.min(10 ** Math.floor(Math.log10(Math.min(...latencies, 10))), 1);
  const latencyTicks: number[] = [];
  for (let v = latencyMin; v <= latencyMax; v *= 10) latencyTicks.push(v);
  const height = top2 + PANEL.height + 50;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${esc(input.title)}">
<title>${esc(input.title)}</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${PANEL.left}" y="22" font-size="15" font-weight="bold">${esc(input.title)}</text>
<text x="${PANEL.left}" y="40" fill="#555">${esc(input.subtitle)}</text>
${panel(
  PANEL.top,
  xs,
  xMax,
  [
    { name: 'answered 200/s', color: COLORS.ok, values: points.map((p) => p.okRps) },
    { name: 'shed 503/s', color: COLORS.shed, values: points.map((p) => p.shedRps) },
  ],
  { label: 'texts/s', log: false, min: 0, max: tpsAxis.max, ticks: Array.from({ length: Math.round(tpsAxis.max / tpsAxis.step) + 1 }, (_, i) => i * tpsAxis.step) },
  [
    { name: 'bare ORT ceiling', value: input.ceilingTps, color: COLORS.ceiling },
    { name: 'stack, closed loop', value: input.stackTps, color: COLORS.stack },
  ],
)}
${panel(
  top2,
  xs,
  xMax,
  [
    { name: 'p50 of 200s', color: COLORS.p50, values: points.map((p) => p.okP50Ms) },
    { name: 'p99 of 200s', color: COLORS.p99, values: points.map((p) => p.okP99Ms) },
    { name: 'p99 of 503s', color: COLORS.shedP99, values: points.map((p) => p.shedP99Ms) },
  ],
  { label: 'latency, ms (log)', log: true, min: latencyMin, max: latencyMax, ticks: latencyTicks },
  [],
)}
</svg>
`;
}
