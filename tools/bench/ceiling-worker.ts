/**
 * @module ceiling-worker
 * One bare onnxruntime-node session on its own thread, for tools/bench/ceiling.ts. onnxruntime-node
 * runs session.run() synchronously on the calling JS thread (behind a setImmediate), so two
 * sessions in one thread take turns on one core; each needs a thread of its own.
 * It builds every tensor before it says it is ready, then runs the batches it is told to.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openBareSession } from './bare-session.ts';

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

const { onnxFile, plan } = workerData as CeilingWorkerData;
const session = await openBareSession(onnxFile, 1);
const feeds = new Map(Object.entries(plan).map(([size, slices]) => [Number(size), slices.map((batches) => batches.map((b) => session.feeds(b)))]));
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
