/**
 * @module score-stability
 * Does a text get the same scores alone as inside a batch? With q8, ONNX Runtime's dynamic
 * quantisation picks one scale per activation tensor, i.e. per batch, so a text's neighbours
 * can nudge its scores. This scores every text alone, then all of them queued at once through
 * the service's own batcher (so the batches are the ones a busy replica would form), and
 * reports the largest difference in any label's probability.
 */
import { readConfig, type ModelDtype } from '../../functions/src/config.ts';
import { loadModel } from '../../functions/src/model/loader.ts';
import { createEngine, warmUp } from '../../functions/src/service.ts';

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
  try {
    const sequences = texts.map((text) => model.wrap(model.encode(text).slice(0, model.info.maxTokens - 2)));
    const alone: Float32Array[] = [];
    for (const sequence of sequences) alone.push((await model.forwards[0]!([sequence])).logits[0]!);

    // The service's scheduler, warmed up as the service's, with shedding off: everything is
    // queued at once, as under load, from as many clients as texts.
    let passes = 0;
    const observer = { queueDepth: () => {}, dropped: () => {}, batch: () => void passes++ };
    const { scheduler, ...engine } = createEngine(model, { ...config.scheduler, maxQueueDelaySeconds: 3600 }, Infinity, observer);
    await warmUp(model, { scheduler, ...engine });
    passes = 0;
    const batched = await Promise.all(
      sequences.map(async (sequence, i) => (await scheduler.submit({ client: String(i), sequences: [sequence], deadline: Infinity })).rows[0]!),
    );

    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    let worstAbsDiff = 0;
    let worstText = 0;
    let worstLogitDiff = 0;
    batched.forEach((logits, t) => {
      logits.forEach((logit, label) => {
        const diff = Math.abs(sigmoid(logit) - sigmoid(alone[t]![label]!));
        if (diff > worstAbsDiff) {
          worstAbsDiff = diff;
          worstText = t;
        }
        worstLogitDiff = Math.max(worstLogitDiff, Math.abs(logit - alone[t]![label]!));
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
  } finally {
    await model.close();
  }
}
