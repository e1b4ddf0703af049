/**
 * @module report
 * The benchmark's result as one flat JSON-ready object per dtype, and the readable table made
 * from it, including the targets the q8 replica is held to.
 */

/** Flat figures for one dtype; the keys are the JSON output's. */
export type Figures = Record<string, number>;

export interface Result {
  machine: Record<string, string | number>;
  settings: Record<string, number | string>;
  q8: Figures;
  fp32: Figures;
  /** Single-text pipeline latency with 1 and 2 intra-op threads, q8. */
  ort_threads: Figures;
  targets: Record<string, { value: number; limit: number; ok: boolean }>;
  duration_s: number;
}

interface Target {
  key: string;
  label: string;
  limit: number;
}

/** What a q8 replica with ORT_THREADS=1 must do on 2 cores. */
export const Q8_TARGETS: readonly Target[] = [
  { key: 'ready_ms', label: 'start → ready ≤ 3000 ms (median)', limit: 3000 },
  { key: 'failed_starts', label: 'every start became ready (failed starts ≤ 0)', limit: 0 },
  { key: 'rss_mb', label: 'RSS ≤ 600 MB', limit: 600 },
  { key: 'pipeline_over_bare', label: 'single-text pipeline ≤ 1.25 × bare session.run (p50)', limit: 1.25 },
];

export function checkTargets(q8: Figures): Result['targets'] {
  return Object.fromEntries(
    Q8_TARGETS.map(({ key, limit }) => [key, { value: q8[key]!, limit, ok: q8[key]! <= limit }]),
  );
}

export function formatTable(result: Result, batchSizes: readonly number[]): string {
  const rows: [string, string][] = [
    [`start → /readyz 200, ms (median of ${result.settings.server_starts})`, 'ready_ms'],
    ['  slowest start, ms', 'max_ready_ms'],
    ['  starts that never became ready', 'failed_starts'],
    ['  spawn → listening (node, tsx, imports), ms', 'boot_ms'],
    ['  prepareModel (load + warm-up), ms', 'load_ms'],
    ['RSS after requests, MB (median)', 'rss_mb'],
    ['  largest, MB', 'max_rss_mb'],
    ['peak RSS (VmHWM), MB (median)', 'peak_rss_mb'],
    ['single text, pipeline, texts/s', 'single_tps'],
    ['single text, bare session.run, texts/s', 'bare_single_tps'],
    ['single text p50, pipeline, ms', 'single_p50_ms'],
    ['single text p50, bare session.run, ms', 'bare_single_p50_ms'],
    ['pipeline / bare (p50)', 'pipeline_over_bare'],
    ...batchSizes.flatMap((size): [string, string][] => [
      [`batches of ≤ ${size}, pipeline, texts/s`, `batch${size}_tps`],
      [`  forward passes per ${result.settings.texts} texts`, `batch${size}_passes`],
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const cell = (value: number | undefined) => String(value ?? '–').padStart(10);
  const lines = [
    `toxic-bert benchmark, ${result.machine.cpus} × ${result.machine.cpu_model}, node ${result.machine.node}, ` +
      `onnxruntime-node ${result.machine.onnxruntime_node}, ORT_THREADS=1, ${result.settings.texts} tweets`,
    `${''.padEnd(width)}${'q8'.padStart(10)}${'fp32'.padStart(10)}`,
    ...rows.map(([label, key]) => `${label.padEnd(width)}${cell(result.q8[key])}${cell(result.fp32[key])}`),
    '',
    // Either direction shows the setting reaches ONNX Runtime: 2 threads win on idle cores and
    // lose when other tenants keep a core busy (the second thread waits to be scheduled).
    `ORT_THREADS check (q8, ${result.ort_threads.texts} single texts, interleaved): p50 ` +
      `${result.ort_threads.single_p50_ms_1} ms with 1 thread, ${result.ort_threads.single_p50_ms_2} ms with 2, ` +
      `ratio 1/2 = ${result.ort_threads.p50_ratio_1_over_2}`,
    '',
    'Targets (q8, ORT_THREADS=1):',
    ...Q8_TARGETS.map(({ key, label }) => {
      const { value, ok } = result.targets[key]!;
      return `  ${ok ? 'ok  ' : 'MISS'}  ${label}: ${value}`;
    }),
    `(run took ${result.duration_s} s; load average ${result.machine.loadavg_1m_start} at start, ${result.machine.loadavg_1m_end} at end)`,
  ];
  return lines.join('\n');
}
