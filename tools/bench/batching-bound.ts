/**
 * @module batching-bound
 * `npm run bench:batching -- --model-dir DIR`: how much of the ceiling's batching any scheduler
 * can get from a queue of N tweets, on this CPU. The stack bench's ceiling runs the whole corpus
 * sorted by length in batches of its best size, so its batches are full and hold no padding; a
 * replica can only sort what is queued at the moment it chooses. This tool:
 *   1. times one bare ONNX Runtime session (one thread) on batches of 1 to 32 sequences of 16 to
 *      64 tokens, and teaches the service's own cost model (batch-cost-model.ts) those times;
 *   2. prices the ceiling's batches (the sorted corpus cut into runs of 4, 8 and 16) with it;
 *   3. queues N tweets drawn at random from the corpus (each from its own client, as the bench
 *      sends them) in the service's own scheduler, lets it cut them into batches, and prices them.
 * The scheduler's cut of a queue is the cheapest there is within the length ratio (its batch is
 * the leader's run in the least-time cut of the sorted queue, scheduler.test.ts), so the share of
 * the ceiling it prints for each depth is the most any replica can reach with that many tweets
 * queued, before HTTP, tokenising and nginx take their part. No timing beyond step 1: the rest is
 * arithmetic on the measured costs.
 */
import path from 'node:path';
import { ONNX_FILE } from '../../functions/src/model/location.ts';
import { createBatchCostModel, type BatchCostModel } from '../../functions/src/queue/batch-cost-model.ts';
import { createScheduler, type Forward } from '../../functions/src/queue/scheduler.ts';
import { loadCorpus } from '../lib/corpus.ts';
import { openBareSession, type BareSession } from './bare-session.ts';
import { lengthSortedRuns } from './ceiling.ts';
import { BENCH_DTYPE, BENCH_MODEL_ID, modelDirOption } from './model-dir-option.ts';
import { round } from './timing.ts';
import { tokenise } from './tokens.ts';

const SIZES = [1, 2, 4, 8, 16, 32];
const WIDTHS = [16, 24, 32, 48, 64];
const CEILING_SIZES = [4, 8, 16];
const QUEUE_DEPTHS = [4, 8, 12, 16, 24, 32, 64];
/** Random queues drawn per depth. */
const DRAWS = 200;

/** Median seconds of `session.run` on a batch of `size` sequences of `width` tokens. */
async function timePass(session: BareSession, size: number, width: number): Promise<number> {
  const feeds = session.feeds(Array.from({ length: size }, () => new Array<number>(width).fill(1000)));
  await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const began = performance.now();
    await session.run(feeds);
    times.push((performance.now() - began) / 1000);
  }
  return times.sort((a, b) => a - b)[2]!;
}

/** Predicted seconds per text of running `batches` (lists of sequence lengths). */
function perText(model: BatchCostModel, batches: readonly (readonly number[])[]): number {
  const texts = batches.reduce((sum, b) => sum + b.length, 0);
  return batches.reduce((sum, b) => sum + model.seconds(b.length, Math.max(...b)), 0) / texts;
}

/** The batches the service's scheduler makes of `queue`, every sequence queued before the first is chosen. */
async function schedulerCut(model: BatchCostModel, queue: readonly number[]): Promise<number[][]> {
  const batches: number[][] = [];
  let release: (() => void) | undefined;
  const forward: Forward = (sequences) => {
    batches.push(sequences.map((s) => s.length));
    const answer = { logits: sequences.map(() => Float32Array.of(0)), seconds: 0 };
    // The first pass (the one that keeps the model busy) waits until everything is queued.
    if (batches.length === 1) return new Promise((resolve) => (release = () => resolve(answer)));
    return Promise.resolve(answer);
  };
  // Nothing learnt from these passes, nothing refused, nothing explored: the choice alone.
  const frozen: BatchCostModel = { seconds: model.seconds, learn: () => {}, observations: model.observations, widest: model.widest };
  const scheduler = createScheduler([forward], frozen, { exploreEvery: 0, maxQueueDelaySeconds: Infinity });
  const far = performance.now() + 3_600_000;
  const busy = scheduler.submit({ client: 'busy', sequences: [[1, 2]], deadline: far });
  const all = queue.map((length, i) => scheduler.submit({ client: `c${i}`, sequences: [Array<number>(length).fill(1)], deadline: far }));
  release!();
  await Promise.all([busy, ...all]);
  return batches.slice(1);
}

/** A repeatable stream of random indices (so two runs draw the same queues). */
function draws(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

const modelDir = modelDirOption('bench:batching');
const session = await openBareSession(path.join(modelDir, BENCH_MODEL_ID, 'onnx', ONNX_FILE[BENCH_DTYPE]), 1);
process.stderr.write(`timing one bare session on batches of ${SIZES.join(', ')} × ${WIDTHS.join(', ')} tokens…\n`);
const model = createBatchCostModel();
for (const width of WIDTHS) {
  const row: string[] = [];
  for (const size of SIZES) {
    const seconds = await timePass(session, size, width);
    model.learn(size, width, seconds);
    row.push(`${size}: ${round((seconds * 1000) / size, 1)}`);
  }
  process.stdout.write(`ms per sequence at ${width} tokens, by batch size: ${row.join('  ')}\n`);
}
await session.release();

const sequences = await tokenise(modelDir, BENCH_MODEL_ID, loadCorpus());
const lengths = sequences.map((s) => s.length);
const ceilings = CEILING_SIZES.map((size) => {
  const batches = lengthSortedRuns(sequences, size).map((run) => run.map((s) => s.length));
  return { size, seconds: perText(model, batches) };
});
const ceiling = ceilings.reduce((a, b) => (b.seconds < a.seconds ? b : a));
process.stdout.write(
  `\nceiling (the ${lengths.length} tweets sorted, cut in runs of ${CEILING_SIZES.join(', ')}): best ${ceiling.size}, ${round(ceiling.seconds * 1000, 2)} ms per text\n`,
);
process.stdout.write('tweets queued | ms per text | share of the ceiling\n');
const pick = draws(1);
const rows = [];
for (const depth of QUEUE_DEPTHS) {
  let seconds = 0;
  for (let d = 0; d < DRAWS; d++) {
    const queue = Array.from({ length: depth }, () => lengths[pick(lengths.length)]!);
    seconds += perText(model, await schedulerCut(model, queue));
  }
  const row = { depth, ms_per_text: round((seconds / DRAWS) * 1000, 2), share: round(ceiling.seconds / (seconds / DRAWS), 3) };
  rows.push(row);
  process.stdout.write(`${String(depth).padStart(13)} | ${String(row.ms_per_text).padStart(11)} | ${row.share}\n`);
}
process.stdout.write(`${JSON.stringify({ ceiling_batch: ceiling.size, ceiling_ms_per_text: round(ceiling.seconds * 1000, 3), queues: rows })}\n`);
