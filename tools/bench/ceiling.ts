/**
 * @module ceiling
 * What the hardware can do with this model and nothing else: one bare onnxruntime-node
 * InferenceSession per core (intraOpNumThreads 1 each), each on its own worker thread, run
 * concurrently on pre-tokenised, length-sorted batches whose tensors are built before timing.
 * Batch sizes are interleaved round by round (A B C D, then D C B A) so noise on a shared
 * machine lands on all of them; the most efficient is the ceiling's batch size. Process CPU time over wall time shows
 * how many cores the sessions really kept busy, and one session alone shows the scaling.
 */
import { Worker } from 'node:worker_threads';
import type { CeilingWorkerData, RunJob, WorkerMessage } from './ceiling-worker.ts';

export interface BatchSizeRun {
  batchSize: number;
  texts: number;
  wallMs: number;
  /** Process CPU time / wall time: ≈ sessions when each session has a core to itself. */
  cores: number;
  tps: number;
}

export interface CeilingRun {
  sessions: number;
  sizes: BatchSizeRun[];
  best: BatchSizeRun;
  /** The best batch size on one session alone (its share of the batches), for the scaling figure. */
  oneSession: BatchSizeRun;
}

export interface Ceiling {
  /** Times every batch size over the whole corpus, then the best on one session alone. */
  measure(): Promise<CeilingRun>;
  /** Re-times one batch size on all sessions over slice `round` of the corpus (to interleave with other work). */
  remeasure(batchSize: number, round: number): Promise<BatchSizeRun>;
  release(): Promise<void>;
}

/** Two runs of one batch size as one. */
export function add(a: BatchSizeRun | undefined, b: BatchSizeRun): BatchSizeRun {
  if (!a) return b;
  const texts = a.texts + b.texts;
  const wallMs = a.wallMs + b.wallMs;
  return { batchSize: b.batchSize, texts, wallMs, cores: (a.cores * a.wallMs + b.cores * b.wallMs) / wallMs, tps: texts / (wallMs / 1000) };
}

/** The ceiling's batches: the sequences sorted by length, cut into consecutive runs of `size`. */
export function lengthSortedRuns(sequences: readonly number[][], size: number): number[][][] {
  const sorted = [...sequences].sort((a, b) => a.length - b.length);
  return Array.from({ length: Math.ceil(sorted.length / size) }, (_, b) => sorted.slice(b * size, (b + 1) * size));
}

/** The slice's length-sorted runs of `size`, dealt out to `workers` in turn. */
function deal(slice: readonly number[][], size: number, workers: number): number[][][][] {
  const shares: number[][][][] = Array.from({ length: workers }, () => []);
  lengthSortedRuns(slice, size).forEach((run, b) => shares[b % workers]!.push(run));
  return shares;
}

/** A worker thread running tools/bench/ceiling-worker.ts under tsx (workers do not inherit tsx's loader). */
function startWorker(data: CeilingWorkerData): { worker: Worker; ready: Promise<void>; run(job: RunJob): Promise<number> } {
  const api = import.meta.resolve('tsx/esm/api');
  const file = new URL('./ceiling-worker.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(import.meta.url)}))`, {
    eval: true,
    workerData: data,
  });
  let waiting: ((message: WorkerMessage) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      waiting = resolve;
      failed = reject;
    });
  const ready = next().then(() => undefined);
  worker.on('message', (message: WorkerMessage) => waiting?.(message));
  worker.on('error', (error: Error) => failed?.(error));
  return {
    worker,
    ready,
    async run(job) {
      const done = next();
      worker.postMessage(job);
      const message = await done;
      return message.type === 'done' ? message.texts : 0;
    },
  };
}

/**
 * @example
 * const ceiling = await openCeiling(onnxFile, sequences, { sessions: 2, batchSizes: [1, 4, 8, 16], rounds: 2 });
 * const { best } = await ceiling.measure();
 */
export async function openCeiling(
  onnxFile: string,
  sequences: readonly number[][],
  options: { sessions: number; batchSizes: readonly number[]; rounds: number },
): Promise<Ceiling> {
  // Round r times slice r of the corpus, so all rounds together cover it once per batch size.
  const sliceLength = Math.ceil(sequences.length / options.rounds);
  const slices = Array.from({ length: options.rounds }, (_, r) => sequences.slice(r * sliceLength, (r + 1) * sliceLength));
  const dealt = new Map(options.batchSizes.map((size) => [size, slices.map((slice) => deal(slice, size, options.sessions))]));
  const workers = Array.from({ length: options.sessions }, (_, w) =>
    startWorker({
      onnxFile,
      plan: Object.fromEntries(options.batchSizes.map((size) => [size, dealt.get(size)!.map((shares) => shares[w]!)])),
    }),
  );
  await Promise.all(workers.map((w) => w.ready));

  async function time(batchSize: number, slice: number, sessions: number): Promise<BatchSizeRun> {
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    const texts = (await Promise.all(workers.slice(0, sessions).map((w) => w.run({ batchSize, slice })))).reduce((a, b) => a + b, 0);
    const wallMs = performance.now() - began;
    const cpu = process.cpuUsage(cpuBefore);
    return { batchSize, texts, wallMs, cores: (cpu.user + cpu.system) / 1000 / wallMs, tps: texts / (wallMs / 1000) };
  }

  return {
    async measure() {
      const totals = new Map<number, BatchSizeRun>();
      for (let r = 0; r < options.rounds; r++) {
        const order = r % 2 === 0 ? options.batchSizes : [...options.batchSizes].reverse();
        for (const size of order) totals.set(size, add(totals.get(size), await time(size, r, options.sessions)));
      }
      const sizes = options.batchSizes.map((size) => totals.get(size)!);
      // Chosen by texts per CPU second, which other tenants of a shared machine disturb far
      // less than texts per second; on an idle machine both pick the same size.
      const best = sizes.reduce((a, b) => (b.tps / b.cores > a.tps / a.cores ? b : a));
      return { sessions: options.sessions, sizes, best, oneSession: await time(best.batchSize, 0, 1) };
    },
    remeasure(batchSize, round) {
      return time(batchSize, round % options.rounds, options.sessions);
    },
    async release() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
