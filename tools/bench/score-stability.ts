/**
 * @module score-stability
 * Does a text get the same scores alone as inside a batch? With q8, ONNX Runtime's dynamic
 * quantisation picks one scale per activation tensor, i.e. per batch, so a text's neighbours
 * can nudge its scores. This scores every text alone, then all of them queued at once through
 * the service's own batcher (so the batches are the ones a busy replica would form), and
 * reports the largest difference in any label's probability.
 */
import { createBatcher } from '../../functions/src/classify/batcher.ts';
import { sigmoid } from '../../functions/src/classify/scorer.ts';
import { readConfig, type ModelDtype } from '../../functions/src/config.ts';
import { loadModel } from '../../functions/src/model/loader.ts';

export interface ScoreStability {
  dtype: ModelDtype;
  offline: boolean;
  texts: number;
  /** Largest |alone − batched| over every text and label, as a probability. */
  worstAbsDiff: number;
  /** Index of the text where it happened. */
  worstText: number;
  /**
   * The same in raw logits. A probability moves at most a quarter as much as its logit
   * (the sigmoid's slope is ≤ 1/4), so this bounds the shift for any weights' outputs.
   */
  worstLogitDiff: number;
  /** Sequences per forward pass on the batched side; 1 means the batcher did not batch. */
  meanBatchSize: number;
}

/**
 * @example
 * const { worstAbsDiff } = await measureScoreStability('model/offline', 'q8', texts);
 */
export async function measureScoreStability(modelDir: string, dtype: ModelDtype, texts: readonly string[]): Promise<ScoreStability> {
  const config = readConfig({ MODEL_DIR: modelDir, MODEL_DTYPE: dtype, ORT_THREADS: '1' });
  const model = await loadModel(config);
  const sequences = texts.map((text) => model.wrap(model.encode(text).slice(0, model.info.maxTokens - 2)));
  const alone: Float32Array[] = [];
  for (const sequence of sequences) alone.push((await model.forward([sequence]))[0]!);

  let passes = 0;
  // The batcher hands back probabilities; the logits of each sequence are kept on the way through.
  const batchedLogits = new Map<number[], Float32Array>();
  // As the service wires it, with shedding off: everything is queued at once, as under load.
  const batcher = createBatcher(
    async (batch) => {
      passes++;
      const logits = await model.forward(batch);
      batch.forEach((sequence, i) => batchedLogits.set(sequence, logits[i]!));
      return logits;
    },
    { ...config.batching, maxLengthRatio: 1.25, maxQueueDelayMs: 600_000 },
  );
  const batched = await Promise.all(sequences.map(async (sequence) => (await batcher.score([sequence]))[0]!));

  let worstAbsDiff = 0;
  let worstText = 0;
  let worstLogitDiff = 0;
  batched.forEach((row, t) => {
    const aloneProbabilities = sigmoid(alone[t]!);
    const logits = batchedLogits.get(sequences[t]!)!;
    row.forEach((p, label) => {
      const diff = Math.abs(p - aloneProbabilities[label]!);
      if (diff > worstAbsDiff) {
        worstAbsDiff = diff;
        worstText = t;
      }
      worstLogitDiff = Math.max(worstLogitDiff, Math.abs(logits[label]! - alone[t]![label]!));
    });
  });
  return {
    dtype,
    offline: model.info.offline,
    texts: texts.length,
    worstAbsDiff,
    worstText,
    worstLogitDiff,
    meanBatchSize: sequences.length / passes,
  };
}
