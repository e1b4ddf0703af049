/**
 * @module scorer
 * Turns token sequences into per-label probabilities: groups them into length-matched
 * batches, runs the model's forward pass, and applies the sigmoid (toxic-bert is multi-label,
 * so each label is an independent probability, not a softmax share).
 */
import { planBatches, type BatchPlanOptions } from './batches.ts';

/** Scores sequences that already carry their special tokens; one probability row each. */
export interface Scorer {
  score(sequences: number[][]): Promise<Float32Array[]>;
}

export type Forward = (sequences: number[][]) => Promise<Float32Array[]>;

export function sigmoid(logits: Float32Array): Float32Array {
  return logits.map((x) => 1 / (1 + Math.exp(-x)));
}

/**
 * A scorer that runs each call's sequences itself, batched by length.
 * @example
 * const scorer = createDirectScorer(model.forward);
 * const [probabilities] = await scorer.score([model.wrap(model.encode('hi'))]);
 */
export function createDirectScorer(forward: Forward, plan: Partial<BatchPlanOptions> = {}): Scorer {
  return {
    async score(sequences) {
      const out: Float32Array[] = new Array(sequences.length);
      for (const batch of planBatches(sequences.map((s) => s.length), plan)) {
        const logits = await forward(batch.map((i) => sequences[i]!));
        batch.forEach((index, row) => {
          out[index] = sigmoid(logits[row]!);
        });
      }
      return out;
    },
  };
}
