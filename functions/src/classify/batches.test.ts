import { describe, expect, it } from 'vitest';
import { planBatches } from './batches.ts';

describe('planBatches', () => {
  it('puts every index in exactly one batch', () => {
    const lengths = [5, 80, 12, 500, 7, 13, 81, 6];
    const batches = planBatches(lengths);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
  });

  it('groups similar lengths and keeps very different ones apart', () => {
    expect(planBatches([10, 500, 11, 12])).toEqual([[0, 2, 3], [1]]);
  });

  it('respects the token budget and the batch size cap', () => {
    const lengths = Array.from({ length: 10 }, () => 100);
    for (const batch of planBatches(lengths, { tokenBudget: 300 })) expect(batch.length).toBeLessThanOrEqual(3);
    for (const batch of planBatches(lengths, { maxBatchSize: 4 })) expect(batch.length).toBeLessThanOrEqual(4);
  });

  it('still schedules a sequence longer than the budget, alone', () => {
    expect(planBatches([5000, 10], { tokenBudget: 1000 })).toEqual([[1], [0]]);
  });

  it('bounds padding by the length ratio', () => {
    for (const batch of planBatches([10, 12, 13, 14, 20, 24, 25, 40], { maxLengthRatio: 1.25 })) {
      const ls = batch.map((i) => [10, 12, 13, 14, 20, 24, 25, 40][i]!);
      expect(Math.max(...ls) / Math.min(...ls)).toBeLessThanOrEqual(1.25);
    }
  });
});
