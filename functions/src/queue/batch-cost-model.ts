/**
 * @module batch-cost-model
 * How long a forward pass over B sequences padded to W tokens takes on this machine, learnt
 * from the batches the replica runs. Nothing in it is tuned to one CPU: the shape of the cost
 * is BERT's and the coefficients are measured.
 *
 *   seconds(B, W) ≈ c0 + c1·B·W + c2·B·W² + c3·B²·W
 *
 * c0 is the fixed price of a forward pass (why batching pays), c1 the price of a token, c2 the
 * attention that makes a 512-token window cost more per token than a tweet, and c3 what a CPU
 * loses when a batch outgrows its caches (why the best batch size differs between CPUs). The
 * fit is recursive least squares on relative error (a 5 ms batch counts as much as a 5 s one),
 * with old batches slowly forgotten so the model follows the machine.
 */

const FEATURES = 4;
/** Weight left to a batch after one more is learnt: about the last 500 batches count. */
const FORGETTING = 0.998;
/** Starting uncertainty of every coefficient (in the scaled units of `features`). */
const PRIOR_VARIANCE = 1e4;
/** Below this the model is not believed (a fit can dip towards 0 where it has no data). */
const FLOOR_SECONDS = 1e-5;

/** Scaled so every feature is of order 1 for the batches this service runs. */
function features(size: number, width: number): number[] {
  return [1, (size * width) / 1e3, (size * width * width) / 1e6, (size * size * width) / 1e4];
}

export interface BatchCostModel {
  /** Predicted seconds of one forward pass over `size` sequences padded to `width` tokens. */
  seconds(size: number, width: number): number;
  /** Learns from a forward pass that was run. */
  learn(size: number, width: number, seconds: number): void;
  /** Batches learnt so far. */
  readonly observations: number;
  /** The longest width learnt so far: beyond it a prediction is an extrapolation. */
  readonly widest: number;
}

/**
 * @example
 * const model = createBatchCostModel();
 * model.learn(4, 32, 0.065);
 * model.seconds(8, 32); // → a prediction, better with every batch learnt
 */
export function createBatchCostModel(): BatchCostModel {
  const theta = new Float64Array(FEATURES);
  // P: the inverse information matrix, row-major.
  const p = new Float64Array(FEATURES * FEATURES);
  for (let i = 0; i < FEATURES; i++) p[i * FEATURES + i] = PRIOR_VARIANCE;
  let observations = 0;
  let widest = 0;

  return {
    get observations() {
      return observations;
    },
    get widest() {
      return widest;
    },
    seconds(size, width) {
      const x = features(size, width);
      let sum = 0;
      for (let i = 0; i < FEATURES; i++) sum += theta[i]! * x[i]!;
      return Math.max(FLOOR_SECONDS, sum);
    },
    learn(size, width, seconds) {
      if (!(seconds > 0)) return;
      // Relative error: regress 1 on x / y.
      const x = features(size, width).map((v) => v / seconds);
      const px = new Float64Array(FEATURES);
      for (let i = 0; i < FEATURES; i++) {
        for (let j = 0; j < FEATURES; j++) px[i]! += p[i * FEATURES + j]! * x[j]!;
      }
      let denominator = FORGETTING;
      for (let i = 0; i < FEATURES; i++) denominator += x[i]! * px[i]!;
      let predicted = 0;
      for (let i = 0; i < FEATURES; i++) predicted += theta[i]! * x[i]!;
      const error = 1 - predicted;
      for (let i = 0; i < FEATURES; i++) theta[i]! += (px[i]! / denominator) * error;
      for (let i = 0; i < FEATURES; i++) {
        for (let j = 0; j < FEATURES; j++) {
          p[i * FEATURES + j] = (p[i * FEATURES + j]! - (px[i]! * px[j]!) / denominator) / FORGETTING;
        }
      }
      observations++;
      widest = Math.max(widest, width);
    },
  };
}
