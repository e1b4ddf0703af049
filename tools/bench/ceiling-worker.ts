/**
 * @module ceiling-worker
 * One bare onnxruntime-node session on its own thread, for tools/bench/ceiling.ts. onnxruntime-node
 * runs session.run() synchronously on the calling JS thread (behind a setImmediate), so two
 * sessions in one thread take turns on one core; each needs a thread of its own.
 * It builds every tensor before it says it is ready, then runs the batches it is told to.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

export interface CeilingWorkerData {
  onnxFile: string;
  /** plan[batchSize][slice]: this worker's batches, each a list of token-id sequences. */
  plan: Record<number, number[][][][]>;
}

/** Main → worker: run the batches of one batch size and slice. */
export interface RunJob {
  batchSize: number;
  slice: number;
}

/** Worker → main: 'ready' once, then one 'done' per job. */
export type WorkerMessage = { type: 'ready' } | { type: 'done'; texts: number };

function int64(rows: readonly number[][], width: number, cell: (row: readonly number[], j: number) => number): ort.Tensor {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) data[i * width + j] = BigInt(cell(row, j));
  });
  return new ort.Tensor('int64', data, [rows.length, width]);
}

/** Padded and masked as the service's forward pass pads them. */
function feedsFor(batch: readonly number[][], inputNames: readonly string[]): Record<string, ort.Tensor> {
  const width = Math.max(...batch.map((s) => s.length));
  const byName: Record<string, ort.Tensor> = {
    input_ids: int64(batch, width, (row, j) => row[j] ?? 0),
    attention_mask: int64(batch, width, (row, j) => (j < row.length ? 1 : 0)),
    token_type_ids: int64(batch, width, () => 0),
  };
  return Object.fromEntries(inputNames.map((name) => [name, byName[name]!]));
}

const { onnxFile, plan } = workerData as CeilingWorkerData;
const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
const feeds = new Map(
  Object.entries(plan).map(([size, slices]) => [Number(size), slices.map((batches) => batches.map((b) => feedsFor(b, session.inputNames)))]),
);
// Every batch shape once before timing (arena growth, first-run costs).
for (const slices of feeds.values()) {
  const first = slices.find((batches) => batches.length > 0)?.[0];
  if (first) await session.run(first);
}
parentPort!.on('message', async ({ batchSize, slice }: RunJob) => {
  const batches = feeds.get(batchSize)![slice]!;
  for (const batch of batches) await session.run(batch);
  const texts = plan[batchSize]![slice]!.reduce((sum, b) => sum + b.length, 0);
  parentPort!.postMessage({ type: 'done', texts } satisfies WorkerMessage);
});
parentPort!.postMessage({ type: 'ready' } satisfies WorkerMessage);
