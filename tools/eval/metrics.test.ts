import { describe, expect, it } from 'vitest';
import { auc, precisionRecallF1, rocCurve } from './metrics.ts';

const T = true;
const F = false;

/** The AUC as a probability: over all (positive, negative) pairs, 1 if ranked right, ½ if tied. */
function pairwiseAuc(scores: number[], truth: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!truth[i]) return;
    scores.forEach((q, j) => {
      if (truth[j]) return;
      sum += p > q ? 1 : p === q ? 0.5 : 0;
      pairs++;
    });
  });
  return sum / pairs;
}

describe('rocCurve and auc', () => {
  it('gives 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(auc(rocCurve([0.1, 0.2, 0.8, 0.9], [F, F, T, T]))).toBe(1);
    expect(auc(rocCurve([0.9, 0.8, 0.2, 0.1], [F, F, T, T]))).toBe(0);
  });

  it('gives 0.5 when every score is tied: one diagonal step', () => {
    const curve = rocCurve([0.3, 0.3, 0.3, 0.3, 0.3], [T, F, F, T, F]);
    expect(curve.fpr).toEqual([0, 1]);
    expect(curve.tpr).toEqual([0, 1]);
    expect(auc(curve)).toBe(0.5);
  });

  it('matches a hand-computed example (the scikit-learn roc_curve docs)', () => {
    const curve = rocCurve([0.1, 0.4, 0.35, 0.8], [F, F, T, T]);
    expect(curve).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1],
      positives: 2,
      negatives: 2,
    });
    expect(auc(curve)).toBe(0.75);
  });

  it('counts a tie between a positive and a negative as half a correct pair', () => {
    // Pairs: (0.9 vs 0.4) right, (0.4 vs 0.4) tied → (1 + 0.5) / 2.
    const curve = rocCurve([0.9, 0.4, 0.4], [T, T, F]);
    expect(curve.fpr).toEqual([0, 0, 1]);
    expect(curve.tpr).toEqual([0, 0.5, 1]);
    expect(auc(curve)).toBe(0.75);
  });

  it('equals the pairwise (Mann–Whitney) AUC on data with many ties', () => {
    // MINSTD generator: deterministic, so a failure reproduces.
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const truth = Array.from({ length: 400 }, () => random() < 0.3);
    const scores = truth.map((t) => Math.round((random() + (t ? 0.3 : 0)) * 10) / 10);
    expect(auc(rocCurve(scores, truth))).toBeCloseTo(pairwiseAuc(scores, truth), 12);
  });

  it('is NaN when one class is missing, with the curve still finite', () => {
    const curve = rocCurve([0.2, 0.7], [F, F]);
    expect(auc(curve)).toBeNaN();
    expect(curve.tpr.every(Number.isFinite)).toBe(true);
    expect(auc(rocCurve([0.2, 0.7], [T, T]))).toBeNaN();
    expect(auc(rocCurve([], []))).toBeNaN();
  });

  it('rejects arrays of different lengths', () => {
    expect(() => rocCurve([0.1, 0.2], [T])).toThrow(RangeError);
  });
});

describe('precisionRecallF1', () => {
  it('counts a score equal to the threshold as positive', () => {
    expect(precisionRecallF1([0.9, 0.2, 0.7, 0.5], [T, T, F, T], 0.5)).toEqual({
      tp: 2,
      fp: 1,
      fn: 1,
      tn: 0,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
  });

  it('matches 2PR / (P + R) when precision and recall differ', () => {
    const c = precisionRecallF1([0.9, 0.8, 0.7, 0.1, 0.1], [T, F, F, T, F], 0.5);
    expect(c.precision).toBeCloseTo(1 / 3, 12);
    expect(c.recall).toBe(0.5);
    expect(c.f1).toBeCloseTo((2 * (1 / 3) * 0.5) / (1 / 3 + 0.5), 12);
  });

  it('reports 0, not NaN, when nothing is predicted positive', () => {
    expect(precisionRecallF1([0.1, 0.2, 0.3], [T, F, T], 0.5)).toEqual({
      tp: 0,
      fp: 0,
      fn: 2,
      tn: 1,
      precision: 0,
      recall: 0,
      f1: 0,
    });
  });

  it('reports 0 when there are no positives at all', () => {
    expect(precisionRecallF1([0.1, 0.9], [F, F], 0.5)).toMatchObject({ tp: 0, fp: 1, precision: 0, recall: 0, f1: 0 });
    expect(precisionRecallF1([0.1, 0.2], [F, F], 0.5)).toMatchObject({ tn: 2, precision: 0, recall: 0, f1: 0 });
  });

  it('gives 1 across the board for a perfect prediction', () => {
    expect(precisionRecallF1([0.9, 0.1], [T, F], 0.5)).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });
});
