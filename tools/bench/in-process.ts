/**
 * @module in-process
 * Throughput and latency of the service's inference path in this process (ORT_THREADS=1),
 * against a bare onnxruntime-node session on the same token ids, interleaved round by round.
 * Also checks that ORT_THREADS reaches ONNX Runtime by timing 1 against 2 intra-op threads.
 */
import path from 'node:path';
import type { ModelDtype } from '../../functions/src/config.ts';
import { ONNX_FILE } from '../../functions/src/model/location.ts';
import { openBareSession } from './bare-session.ts';
import { interleave, type Side } from './interleave.ts';
import { benchOptions, loadPipeline, type Pipeline } from './pipeline.ts';
import { summarise, type Timing } from './timing.ts';

/** Texts per side per round: short enough that a burst of noise lands on both sides. */
const ROUND_SIZE = 20;
/** Calls per side before timing, so one-off costs (arena growth, lazy init) are not counted. */
const WARM_UP_CALLS = 5;
const OPTIONS = benchOptions(false);
/** Timed passes over all texts per batch size. */
const BATCH_PASSES = 2;

export interface BatchTiming extends Timing {
  maxBatchSize: number;
  /** Forward passes the scheduler made per pass over the texts; more than texts / maxBatchSize when lengths differ. */
  batches: number;
}

export interface DtypeRun {
  inProcessLoadMs: number;
  single: Timing;
  bareSingle: Timing;
  batches: BatchTiming[];
  threads: ThreadsRun | undefined;
}

export interface ThreadsRun {
  texts: number;
  oneThread: Timing;
  twoThreads: Timing;
}

function singleTextSide(pipeline: Pipeline, texts: readonly string[]): Side {
  return (i) => pipeline.classifier.classify([texts[i]!], OPTIONS);
}

async function warmUp(side: Side): Promise<void> {
  for (let i = 0; i < WARM_UP_CALLS; i++) await side(i);
}

/**
 * Each batch size classifies all `texts` in one call (the scheduler groups them by length, as
 * it does for a busy replica), twice, in A B B A order; a pass is long, so two per size are
 * enough to even out noise between sizes.
 */
async function measureBatches(pipeline: Pipeline, texts: readonly string[], sizes: readonly number[]): Promise<BatchTiming[]> {
  const engines: Array<Awaited<ReturnType<Pipeline['withMaxBatchSize']>>> = [];
  for (const size of sizes) engines.push(await pipeline.withMaxBatchSize(size));
  // One full batch each first, so the arena has grown to batch shapes before timing.
  for (const [i, size] of sizes.entries()) await engines[i]!.classifier.classify(texts.slice(0, size), OPTIONS);
  const before = engines.map((e) => e.passes());
  const sides = engines.map(({ classifier }): Side => () => classifier.classify([...texts], OPTIONS));
  const passes = await interleave(sides, BATCH_PASSES, 1);
  return sizes.map((maxBatchSize, i) => ({
    ...summarise(passes[i]!, texts.length * BATCH_PASSES),
    maxBatchSize,
    batches: (engines[i]!.passes() - before[i]!) / BATCH_PASSES,
  }));
}

/** Single-text pipeline latency with ORT_THREADS=1 (`one`) and =2 (loaded here), interleaved. */
async function compareThreads(one: Pipeline, modelDir: string, dtype: ModelDtype, texts: readonly string[]): Promise<ThreadsRun> {
  const two = await loadPipeline(modelDir, dtype, 2);
  try {
    const sides = [singleTextSide(one, texts), singleTextSide(two, texts)];
    for (const side of sides) await warmUp(side);
    const [oneThread, twoThreads] = await interleave(sides, texts.length, ROUND_SIZE);
    return { texts: texts.length, oneThread: summarise(oneThread!, texts.length), twoThreads: summarise(twoThreads!, texts.length) };
  } finally {
    await two.close();
  }
}

/** `threadTexts` > 0 also runs the 1-against-2-threads check on that many of `texts`. */
export async function measureInProcess(
  modelDir: string,
  modelId: string,
  dtype: ModelDtype,
  texts: readonly string[],
  batchSizes: readonly number[],
  threadTexts: number,
): Promise<DtypeRun> {
  const pipeline = await loadPipeline(modelDir, dtype, 1);
  const bare = await openBareSession(path.join(modelDir, modelId, 'onnx', ONNX_FILE[dtype]), 1);
  let single: number[], bareSingle: number[];
  try {
    // Built before timing: the bare side pays for neither tokenisation nor tensor building.
    const feeds = texts.map((text) => bare.feeds([pipeline.model.wrap(pipeline.model.encode(text))]));
    const sides: Side[] = [singleTextSide(pipeline, texts), (i) => bare.run(feeds[i]!)];
    for (const side of sides) await warmUp(side);
    [single, bareSingle] = (await interleave(sides, texts.length, ROUND_SIZE)) as [number[], number[]];
  } finally {
    await bare.release();
  }
  try {
    const batches = await measureBatches(pipeline, texts, batchSizes);
    return {
      inProcessLoadMs: pipeline.loadMs,
      single: summarise(single, texts.length),
      bareSingle: summarise(bareSingle, texts.length),
      batches,
      threads: threadTexts > 0 ? await compareThreads(pipeline, modelDir, dtype, texts.slice(0, threadTexts)) : undefined,
    };
  } finally {
    await pipeline.close();
  }
}
