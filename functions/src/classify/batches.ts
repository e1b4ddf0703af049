/**
 * @module batches
 * Groups sequences into batches of similar length. Padding is paid for in full by the model,
 * so mixing a 10-token tweet with a 500-token window would make the tweet cost 500 tokens;
 * grouping by length keeps batched inference cheaper per text than one at a time.
 */

export interface BatchPlanOptions {
  /** Upper bound on batch size × longest sequence, the cells the model computes. */
  tokenBudget: number;
  /** Longest allowed / shortest in a batch, e.g. 1.25 allows 25% padding at most. */
  maxLengthRatio: number;
  /** Upper bound on sequences per batch. */
  maxBatchSize: number;
}

export const DEFAULT_BATCH_PLAN: BatchPlanOptions = { tokenBudget: 4096, maxLengthRatio: 1.25, maxBatchSize: 32 };

/**
 * Returns batches as lists of indices into `lengths`, shortest sequences first.
 * @example
 * planBatches([10, 500, 11], { tokenBudget: 4096, maxLengthRatio: 1.25, maxBatchSize: 32 }) // → [[0, 2], [1]]
 */
export function planBatches(lengths: readonly number[], options: Partial<BatchPlanOptions> = {}): number[][] {
  const { tokenBudget, maxLengthRatio, maxBatchSize } = { ...DEFAULT_BATCH_PLAN, ...options };
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let shortest = 0;
  for (const index of order) {
    const length = Math.max(1, lengths[index]!);
    const fits =
      current.length < maxBatchSize &&
      (current.length + 1) * length <= tokenBudget &&
      length <= shortest * maxLengthRatio;
    if (current.length > 0 && !fits) {
      batches.push(current);
      current = [];
    }
    if (current.length === 0) shortest = length;
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
