/**
 * @module batch-cost-model
 * How long a forward pass over B sequences padded to W tokens takes on this machine, learnt
 * from the batches the replica runs. Nothing in it is tuned to one CPU: the shape of the cost
 * is BERT's and the coefficients are measured.
 *
 *   seconds(B, W) ≈ c0 + c1·B·W + c2·B·W² + c3·B²·W,  every c ≥ 0
 *
 * c0 is the fixed price of a forward pass (why batching pays), c1 the price of a token, c2 the
 * attention that makes a 512-token window cost more per token than a tweet, and c3 what a CPU
 * loses when a batch outgrows its caches (why the best batch size differs between CPUs).
 *
 * The fit gives every shape the same say, however often it runs. Measurements are kept per cell
 * of a grid over (B, W) (quarter octaves), each cell a running mean of its latest passes, and the
 * coefficients are fitted to the cells by least squares on relative error (a 5 ms batch counts as
 * much as a 5 s one). A replica under load runs small batches thousands of times for each large
 * one; fitted to the passes themselves (as a recursive least-squares fit with forgetting did
 * before), the rare large batches were outvoted and then forgotten, the prediction for them swung
 * with noise (a batch of 16 tweets put at anything from 0.5 to 1.5 times a batch of 4's cost per
 * tweet within seconds), and the scheduler kept choosing small batches. A cell measured at
 * warm-up keeps its say until that shape runs again.
 */

const FEATURES = 4;
/** Weight of the newest pass in its cell's running mean: a cell follows the machine within a few passes. */
const NEWEST_WEIGHT = 0.2;
/** Keeps the fit solvable when few cells are measured (relative to the normal matrix's scale). */
const RIDGE = 1e-9;
/** Below this the model is not believed. */
const FLOOR_SECONDS = 1e-5;

/** Scaled so every feature is of order 1 for the batches this service runs. */
function features(size: number, width: number): number[] {
  return [1, (size * width) / 1e3, (size * width * width) / 1e6, (size * size * width) / 1e4];
}

/** Quarter octaves: shapes within about 19 % of each other share a cell. */
const bucket = (n: number) => Math.round(4 * Math.log2(Math.max(1, n)));

interface Cell {
  /** Running means of the features and of the seconds of the passes in this cell. */
  x: number[];
  seconds: number;
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
 * Solves A·θ = b for the coefficients in `free` (the others held at 0). Gaussian elimination with
 * partial pivoting; A is at most 4 × 4.
 */
function solve(a: number[][], b: number[], free: readonly number[]): number[] {
  const n = free.length;
  const m = free.map((i) => [...free.map((j) => a[i]![j]!), b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = col + 1; row < n; row++) {
      const f = m[row]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[row]![k]! -= f * m[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= m[row]![k]! * x[k]!;
    x[row] = sum / m[row]![row]!;
  }
  const theta = new Array<number>(FEATURES).fill(0);
  free.forEach((i, k) => (theta[i] = x[k]!));
  return theta;
}

/**
 * Least squares on relative error over the cells, every coefficient ≥ 0: a coefficient the
 * unconstrained fit makes negative is held at 0 and the rest refitted (a negative price of
 * tokens, or of large batches, would extrapolate into nonsense).
 */
function fit(cells: Iterable<Cell>): number[] {
  const a = Array.from({ length: FEATURES }, () => new Array<number>(FEATURES).fill(0));
  const b = new Array<number>(FEATURES).fill(0);
  for (const cell of cells) {
    // Relative error: regress 1 on x / seconds.
    const z = cell.x.map((v) => v / cell.seconds);
    for (let i = 0; i < FEATURES; i++) {
      b[i]! += z[i]!;
      for (let j = 0; j < FEATURES; j++) a[i]![j]! += z[i]! * z[j]!;
    }
  }
  const scale = a.reduce((sum, row, i) => sum + row[i]!, 0);
  for (let i = 0; i < FEATURES; i++) a[i]![i]! += RIDGE * scale;
  let free = [...Array(FEATURES).keys()];
  for (;;) {
    const theta = solve(a, b, free);
    const negative = free.filter((i) => theta[i]! < 0);
    if (negative.length === 0) return theta;
    // Hold the most negative at 0 and refit the others.
    const worst = negative.reduce((w, i) => (theta[i]! < theta[w]! ? i : w));
    free = free.filter((i) => i !== worst);
    if (free.length === 0) return theta.map(() => 0);
  }
}

/**
 * @example
 * const model = createBatchCostModel();
 * model.learn(4, 32, 0.065);
 * model.seconds(8, 32); // → a prediction, better with every shape learnt
 */
export function createBatchCostModel(): BatchCostModel {
  const cells = new Map<string, Cell>();
  let theta = new Array<number>(FEATURES).fill(0);
  let stale = false;
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
      if (stale) {
        theta = fit(cells.values());
        stale = false;
      }
      const x = features(size, width);
      let sum = 0;
      for (let i = 0; i < FEATURES; i++) sum += theta[i]! * x[i]!;
      return Math.max(FLOOR_SECONDS, sum);
    },
    learn(size, width, seconds) {
      if (!(seconds > 0) || size < 1 || width < 1) return;
      const key = `${bucket(size)}:${bucket(width)}`;
      const x = features(size, width);
      const cell = cells.get(key);
      if (!cell) cells.set(key, { x, seconds });
      else {
        cell.x = cell.x.map((v, i) => v + NEWEST_WEIGHT * (x[i]! - v));
        cell.seconds += NEWEST_WEIGHT * (seconds - cell.seconds);
      }
      stale = true;
      observations++;
      widest = Math.max(widest, width);
    },
  };
}
