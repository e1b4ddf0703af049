/**
 * @module ceiling
 * What the hardware can do with this model and nothing else: one bare onnxruntime-node
 * InferenceSession per core (intraOpNumThreads 1 each), run concurrently, on pre-tokenised,
 * length-sorted batches built before timing. Batch sizes are interleaved round by round (A B
 * C D, then D C B A) so noise on a shared machine lands on all of them; the best is the ceiling.
 * Process CPU time over wall time shows how many cores the sessions actually kept busy.
 */
import * as ort from 'onnxruntime-node';

type Feeds = Record<string, ort.Tensor>;

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
  /** The best batch size on one session alone, for the scaling figure. */
  oneSession: BatchSizeRun;
}

export interface Ceiling {
  /** Times every batch size over the whole corpus, then the best on one session alone. */
  measure(): Promise<CeilingRun>;
  /** Re-times one batch size on all sessions (a drift check later in the run). */
  remeasure(batchSize: number): Promise<BatchSizeRun>;
  release(): Promise<void>;
}

function int64(rows: readonly number[][], width: number, cell: (row: readonly number[], j: number) => number): ort.Tensor {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) data[i * width + j] = BigInt(cell(row, j));
  });
  return new ort.Tensor('int64', data, [rows.length, width]);
}

/** Padded and masked as the service's forward pass pads them. */
function feedsFor(batch: readonly number[][], inputNames: readonly string[]): Feeds {
  const width = Math.max(...batch.map((s) => s.length));
  const byName: Feeds = {
    input_ids: int64(batch, width, (row, j) => row[j] ?? 0),
    attention_mask: int64(batch, width, (row, j) => (j < row.length ? 1 : 0)),
    token_type_ids: int64(batch, width, () => 0),
  };
  return Object.fromEntries(inputNames.map((name) => [name, byName[name]!]));
}

/** Consecutive runs of `size` from length-sorted slices of the corpus. */
function batchesOf(slice: readonly number[][], size: number): number[][][] {
  const sorted = [...slice].sort((a, b) => a.length - b.length);
  const out: number[][][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size));
  return out;
}

/** Runs the batches on the sessions, session k taking batches k, k + n, …, all sessions at once. */
async function timeRun(sessions: readonly ort.InferenceSession[], feeds: readonly Feeds[], texts: number, batchSize: number): Promise<BatchSizeRun> {
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await Promise.all(
    sessions.map(async (session, k) => {
      for (let b = k; b < feeds.length; b += sessions.length) await session.run(feeds[b]!);
    }),
  );
  const wallMs = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  return { batchSize, texts, wallMs, cores: (cpu.user + cpu.system) / 1000 / wallMs, tps: texts / (wallMs / 1000) };
}

function add(a: BatchSizeRun | undefined, b: BatchSizeRun): BatchSizeRun {
  if (!a) return b;
  const texts = a.texts + b.texts;
  const wallMs = a.wallMs + b.wallMs;
  return { batchSize: b.batchSize, texts, wallMs, cores: (a.cores * a.wallMs + b.cores * b.wallMs) / wallMs, tps: texts / (wallMs / 1000) };
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
  const sessions = await Promise.all(
    Array.from({ length: options.sessions }, () =>
      ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' }),
    ),
  );
  const inputNames = sessions[0]!.inputNames;
  // Round r times slice r of the corpus, so each round's figures are over different texts and
  // all rounds together cover the corpus once per batch size.
  const sliceLength = Math.ceil(sequences.length / options.rounds);
  const slices = Array.from({ length: options.rounds }, (_, r) => sequences.slice(r * sliceLength, (r + 1) * sliceLength));
  const feeds = new Map<number, Feeds[][]>(
    options.batchSizes.map((size) => [size, slices.map((slice) => batchesOf(slice, size).map((b) => feedsFor(b, inputNames)))]),
  );
  // Each session sees every batch shape once before timing (arena growth, first-run costs).
  for (const size of options.batchSizes) {
    await Promise.all(sessions.map((session) => session.run(feeds.get(size)![0]![0]!)));
  }

  return {
    async measure() {
      const totals = new Map<number, BatchSizeRun>();
      for (let r = 0; r < options.rounds; r++) {
        const order = r % 2 === 0 ? options.batchSizes : [...options.batchSizes].reverse();
        for (const size of order) {
          const run = await timeRun(sessions, feeds.get(size)![r]!, slices[r]!.length, size);
          totals.set(size, add(totals.get(size), run));
        }
      }
      const sizes = options.batchSizes.map((size) => totals.get(size)!);
      const best = sizes.reduce((a, b) => (b.tps > a.tps ? b : a));
      const oneSession = await timeRun(sessions.slice(0, 1), feeds.get(best.batchSize)![0]!, slices[0]!.length, best.batchSize);
      return { sessions: sessions.length, sizes, best, oneSession };
    },
    async remeasure(batchSize) {
      let total: BatchSizeRun | undefined;
      for (let r = 0; r < options.rounds; r++) total = add(total, await timeRun(sessions, feeds.get(batchSize)![r]!, slices[r]!.length, batchSize));
      return total!;
    },
    async release() {
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}
