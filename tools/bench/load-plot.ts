/**
 * @module load-plot
 * The benchmark's plot as one self-contained SVG (tools/lib/svg-chart.ts): throughput
 * against offered load on top, with the bare-ORT ceiling and the stack's closed-loop maximum
 * as reference lines, and latency against offered load below, on a log scale.
 */
import { legend, LIGHT, lineChart, niceAxis, steps, svgDocument, text, type Axis } from '../lib/svg-chart.ts';

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

const fmt = (value: number) =>
  Number.isInteger(value) || value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : String(Number(value.toPrecision(2)));

interface PanelSeries {
  name: string;
  color: string;
  values: (number | undefined)[];
}

/** One panel against offered load: the chart, and its legend to the right of it. */
function panel(top: number, xs: readonly number[], xMax: number, series: readonly PanelSeries[], y: Axis, refs: readonly { name: string; value: number; color: string }[]): string[] {
  const xAxis = niceAxis(xMax);
  const lines = refs.map((ref) => ({ from: [0, ref.value] as const, to: [xMax, ref.value] as const, color: ref.color }));
  const drawn = series
    .map((s) => ({ name: s.name, color: s.color, markers: true, points: xs.map((x, i) => [x, s.values[i]] as const) }))
    .filter((s) => s.points.some(([, v]) => v !== undefined));
  return [
    ...lineChart({
      area: { x: PANEL.left, y: top, width: WIDTH - PANEL.left - PANEL.right, height: PANEL.height },
      x: { min: 0, max: xMax, ticks: steps(xMax, xAxis.step), format: fmt, label: 'offered load, requests/s (one tweet each)' },
      y: { ...y, format: fmt, grid: true },
      series: drawn,
      lines,
      theme: LIGHT,
    }),
    ...legend([...refs.map((ref) => ({ name: `${ref.name} ${fmt(ref.value)}`, color: ref.color, dash: '6 4' })), ...drawn], {
      x: WIDTH - PANEL.right + 6,
      y: top - 1,
      swatch: 22,
      fontSize: 11,
      theme: LIGHT,
    }),
  ];
}

/**
 * @example
 * writeFileSync('reports/bench.svg', loadPlotSvg({ title, subtitle, points, ceilingTps: 60, stackTps: 48 }));
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
  return svgDocument({
    width: WIDTH,
    height: top2 + PANEL.height + 50,
    title: input.title,
    fontSize: 11,
    theme: LIGHT,
    body: [
      text(PANEL.left, 22, input.title, { 'font-size': 15, 'font-weight': 'bold' }),
      text(PANEL.left, 40, input.subtitle, { fill: LIGHT.muted }),
      ...panel(
        PANEL.top,
        xs,
        xMax,
        [
          { name: 'answered 200/s', color: COLORS.ok, values: points.map((p) => p.okRps) },
          { name: 'shed 503/s', color: COLORS.shed, values: points.map((p) => p.shedRps) },
        ],
        { label: 'texts/s', min: 0, max: tpsAxis.max, ticks: steps(tpsAxis.max, tpsAxis.step) },
        [
          { name: 'bare ORT ceiling', value: input.ceilingTps, color: COLORS.ceiling },
          { name: 'stack, closed loop', value: input.stackTps, color: COLORS.stack },
        ],
      ),
      ...panel(
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
      ),
    ],
  });
}
