/**
 * @module model
 * `npm run bench:model -- --model-dir DIR [--json]`: how fast and how big the toxic-bert
 * replica is, q8 then fp32 in one run. Start-up and memory come from spawning the real server;
 * throughput and latency from the service's inference path in this process, interleaved with
 * a bare onnxruntime-node session on the same token ids to show what the pipeline adds.
 * A benchmark, not a test: it reports misses of the q8 targets but exits 0 unless it fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelDtype } from '../../functions/src/config.ts';
import { requiredFiles } from '../../functions/src/model/location.ts';
import { firstTweets } from '../lib/corpus.ts';
import { REPO_ROOT } from '../lib/repo.ts';
import { median } from '../lib/statistics.ts';
import { measureInProcess, type DtypeRun } from './in-process.ts';
import { checkTargets, formatTable, type Figures, type Result } from './report.ts';
import { measureServerStart, type StartSample } from './server-start.ts';
import { round } from './timing.ts';

const MODEL_ID = 'unitary/toxic-bert';
const DTYPES: readonly ModelDtype[] = ['q8', 'fp32'];
/** Sized so the whole run stays under about 4 minutes on 2 cores, fp32 included. */
const SETTINGS = { texts: 200, thread_check_texts: 100, server_starts: 3, batch_sizes: [8, 32] } as const;
const USAGE = 'usage: npm run bench:model -- --model-dir DIR [--json]\n' +
  `  DIR holds ${MODEL_ID}/ (config.json, tokenizer files, onnx/model_quantized.onnx, onnx/model.onnx),\n` +
  '  e.g. /tmp/benchmodel made by /work/shared/tools/make-bench-model /tmp/benchmodel/unitary/toxic-bert';

function fail(message: string): never {
  process.stderr.write(`bench:model: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function options(): { modelDir: string; json: boolean } {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'model-dir': { type: 'string' }, json: { type: 'boolean', default: false } } }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values['model-dir']) fail('--model-dir is required');
  return { modelDir: path.resolve(values['model-dir']), json: values.json };
}

/** Both dtypes are benchmarked, so both must be there; names what is missing and the likely slip. */
function checkModelDir(modelDir: string): void {
  const missing = DTYPES.flatMap(requiredFiles)
    .filter((file, i, all) => all.indexOf(file) === i)
    .filter((file) => !existsSync(path.join(modelDir, MODEL_ID, file)));
  if (missing.length === 0) return;
  const hint = existsSync(path.join(modelDir, 'config.json'))
    ? `; DIR looks like the model folder itself, pass its grandparent (the folder holding ${MODEL_ID}/)`
    : '';
  fail(`no complete model in ${modelDir}: missing ${missing.map((f) => `${MODEL_ID}/${f}`).join(', ')}${hint}`);
}

const started = performance.now();
function progress(message: string): void {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

function packageVersion(name: string): string {
  const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function figures(starts: readonly StartSample[], failedStarts: number, run: DtypeRun): Figures {
  const mid = (pick: (s: StartSample) => number) => round(median(starts.map(pick)), 0);
  const max = (pick: (s: StartSample) => number) => round(Math.max(...starts.map(pick)), 0);
  const out: Figures = {
    ready_ms: mid((s) => s.readyMs),
    max_ready_ms: max((s) => s.readyMs),
    failed_starts: failedStarts,
    boot_ms: mid((s) => s.bootMs),
    load_ms: mid((s) => s.loadMs),
    rss_mb: mid((s) => s.rssMb),
    max_rss_mb: max((s) => s.rssMb),
    peak_rss_mb: mid((s) => s.peakRssMb),
    in_process_load_ms: round(run.inProcessLoadMs, 0),
    single_tps: round(run.single.textsPerSecond),
    bare_single_tps: round(run.bareSingle.textsPerSecond),
    single_p50_ms: round(run.single.p50Ms, 2),
    bare_single_p50_ms: round(run.bareSingle.p50Ms, 2),
    pipeline_over_bare: round(run.single.p50Ms / run.bareSingle.p50Ms, 3),
  };
  for (const batch of run.batches) {
    out[`batch${batch.maxBatchSize}_tps`] = round(batch.textsPerSecond);
    out[`batch${batch.maxBatchSize}_passes`] = batch.batches;
  }
  return out;
}

async function main(): Promise<void> {
  const { modelDir, json } = options();
  checkModelDir(modelDir);
  const texts = firstTweets(SETTINGS.texts);
  const loadavgStart = os.loadavg()[0]!;

  // All server starts first, while this process is still small and idle, so it neither
  // competes for the cores nor for memory with the replica being timed. Dtypes alternate
  // (q8 fp32, fp32 q8, ...) so a noisy stretch does not land on one dtype only.
  const starts = new Map<ModelDtype, StartSample[]>(DTYPES.map((dtype) => [dtype, []]));
  const failedStarts = new Map<ModelDtype, number>(DTYPES.map((dtype) => [dtype, 0]));
  for (let i = 0; i < SETTINGS.server_starts; i++) {
    for (const dtype of i % 2 === 0 ? DTYPES : [...DTYPES].reverse()) {
      const label = `${dtype} server start ${i + 1}/${SETTINGS.server_starts}`;
      try {
        const sample = await measureServerStart(modelDir, dtype, texts);
        starts.get(dtype)!.push(sample);
        progress(`${label}: ready in ${round(sample.readyMs, 0)} ms, RSS ${round(sample.rssMb, 0)} MB`);
      } catch (error) {
        // One bad start is a finding to report, not a reason to lose the rest of the run.
        failedStarts.set(dtype, failedStarts.get(dtype)! + 1);
        progress(`${label} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  for (const dtype of DTYPES) {
    if (starts.get(dtype)!.length === 0) throw new Error(`every ${dtype} server start failed (see above)`);
  }

  const runs = new Map<ModelDtype, DtypeRun>();
  for (const dtype of DTYPES) {
    progress(`${dtype} in process: single texts (pipeline vs bare), batches${dtype === 'q8' ? ', 1 vs 2 threads' : ''}`);
    const threadTexts = dtype === 'q8' ? SETTINGS.thread_check_texts : 0;
    runs.set(dtype, await measureInProcess(modelDir, MODEL_ID, dtype, texts, SETTINGS.batch_sizes, threadTexts));
  }

  const threads = runs.get('q8')!.threads!;
  const q8 = figures(starts.get('q8')!, failedStarts.get('q8')!, runs.get('q8')!);
  const result: Result = {
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      total_mem_mb: Math.round(os.totalmem() / 2 ** 20),
      node: process.version,
      onnxruntime_node: packageVersion('onnxruntime-node'),
      transformers: packageVersion('@huggingface/transformers'),
      loadavg_1m_start: round(loadavgStart, 2),
      loadavg_1m_end: round(os.loadavg()[0]!, 2),
    },
    settings: { model_dir: modelDir, ...SETTINGS, batch_sizes: SETTINGS.batch_sizes.join(',') },
    q8,
    fp32: figures(starts.get('fp32')!, failedStarts.get('fp32')!, runs.get('fp32')!),
    ort_threads: {
      texts: threads.texts,
      single_p50_ms_1: round(threads.oneThread.p50Ms, 2),
      single_p50_ms_2: round(threads.twoThreads.p50Ms, 2),
      p50_ratio_1_over_2: round(threads.oneThread.p50Ms / threads.twoThreads.p50Ms, 2),
    },
    targets: checkTargets(q8),
    duration_s: round((performance.now() - started) / 1000, 0),
  };
  process.stdout.write(`${formatTable(result, SETTINGS.batch_sizes)}\n`);
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

try {
  await main();
  // The in-process ONNX sessions cannot be released through the loader; do not wait on them.
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench:model failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
