/**
 * @module metrics
 * Binary-classification metrics for one label: the ROC curve, the area under it, and
 * precision / recall / F1 at a threshold. Pure functions over parallel arrays of scores and
 * ground-truth flags.
 */

export interface RocCurve {
  /** False-positive rate at each point, from 0 up to 1. */
  fpr: number[];
  /** True-positive rate at each point, from 0 up to 1. */
  tpr: number[];
  /** Score at or above which the point's texts count as positive; the first point is +Infinity. */
  thresholds: number[];
  positives: number;
  negatives: number;
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

function checkLengths(scores: ArrayLike<number>, truth: ArrayLike<boolean>): void {
  if (scores.length !== truth.length) {
    throw new RangeError(`${scores.length} scores but ${truth.length} ground-truth flags`);
  }
}

/**
 * One point per distinct score, highest first. Texts with equal scores enter together, so a
 * tie between a positive and a negative is a diagonal step — which is what makes the trapezoid
 * area equal to the rank (Mann–Whitney) AUC with ties counted as half.
 * A rate whose class is empty stays 0 (its AUC is undefined; see {@link auc}).
 * @example
 * rocCurve([0.9, 0.4, 0.4], [true, true, false]);
 * // → fpr [0, 0, 1], tpr [0, 0.5, 1], thresholds [Infinity, 0.9, 0.4]
 */
export function rocCurve(scores: ArrayLike<number>, truth: ArrayLike<boolean>): RocCurve {
  checkLengths(scores, truth);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i]) positives++;
  const negatives = truth.length - positives;
  const rate = (count: number, total: number): number => (total === 0 ? 0 : count / total);

  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity], positives, negatives };
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; ) {
    const score = scores[order[k]!]!;
    for (; k < order.length && scores[order[k]!] === score; k++) {
      if (truth[order[k]!]) tp++;
      else fp++;
    }
    curve.fpr.push(rate(fp, negatives));
    curve.tpr.push(rate(tp, positives));
    curve.thresholds.push(score);
  }
  return curve;
}

/**
 * Area under the ROC curve by the trapezoid rule; NaN when there are no positives or no
 * negatives, because ranking is then undefined (callers report it as missing, not as 0 or 1).
 * @example
 * auc(rocCurve([0.9, 0.4, 0.4], [true, true, false])); // → 0.75
 */
export function auc(curve: RocCurve): number {
  if (curve.positives === 0 || curve.negatives === 0) return NaN;
  let area = 0;
  for (let i = 1; i < curve.fpr.length; i++) {
    area += ((curve.fpr[i]! - curve.fpr[i - 1]!) * (curve.tpr[i]! + curve.tpr[i - 1]!)) / 2;
  }
  return area;
}

/**
 * Counts and rates when `score >= threshold` means positive (the classifier's own rule).
 * A rate with a zero denominator is 0, as scikit-learn reports it with zero_division=0, so a
 * model that never predicts positive scores F1 0 rather than NaN.
 * @example
 * precisionRecallF1([0.9, 0.2, 0.7], [true, true, false], 0.5);
 * // → { tp: 1, fp: 1, fn: 1, tn: 0, precision: 0.5, recall: 0.5, f1: 0.5 }
 */
export function precisionRecallF1(scores: ArrayLike<number>, truth: ArrayLike<boolean>, threshold: number): Confusion {
  checkLengths(scores, truth);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const predicted = scores[i]! >= threshold;
    if (predicted && truth[i]) tp++;
    else if (predicted) fp++;
    else if (truth[i]) fn++;
    else tn++;
  }
  const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
  return {
    tp,
    fp,
    fn,
    tn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}
