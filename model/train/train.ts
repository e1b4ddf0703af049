/**
 * @module train
 * The offline classifier and its training loop, in plain TypeScript over Float32Arrays:
 * token embeddings -> masked mean and max pooling -> ReLU hidden layer -> one logit per label,
 * trained with per-label sigmoid binary cross-entropy (multi-label, soft targets) and Adam.
 */
import { Prng } from './prng.ts';

export interface Classifier {
  vocabSize: number;
  /** Embedding width d; the pooled vector is [mean; max], 2d wide. */
  dim: number;
  hidden: number;
  labels: number;
  /** [vocabSize, dim] row-major. */
  embedding: Float32Array;
  /** [2 * dim, hidden] row-major, so the ONNX MatMul takes it as is. */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden, labels] row-major. */
  w2: Float32Array;
  b2: Float32Array;
}

export interface TrainOptions {
  dim: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Chance of dropping each word token during training, so no single word carries a decision. */
  tokenDropout: number;
  /**
   * Token ids whose embedding stays zero: [CLS] and [SEP] are in every input and so carry no
   * information, yet left trainable they soak up the data's 83% toxic prior and then dominate the
   * mean of a short input; [PAD] and [MASK] never occur in training.
   */
  zeroTokenIds: readonly number[];
  seed: number;
}

export interface Example {
  /** Token ids with [CLS] and [SEP], as the tokenizer gives them. */
  ids: Int32Array;
  /** Soft targets, one per label. */
  targets: Float32Array;
  /** Loss weight per label (class balancing). */
  weights: Float32Array;
}

/** Activations of one forward pass, kept for the backward pass. */
interface Trace {
  ids: Int32Array;
  pooled: Float64Array;
  argmax: Int32Array;
  hiddenPre: Float64Array;
  hiddenOut: Float64Array;
  logits: Float64Array;
}

function initClassifier(vocabSize: number, labels: number, opts: TrainOptions, rng: Prng): Classifier {
  const { dim, hidden } = opts;
  const gaussian = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal() * std);
  return {
    vocabSize,
    dim,
    hidden,
    labels,
    embedding: gaussian(vocabSize * dim, 0.1),
    // He initialisation for the ReLU layer, Glorot-like for the output layer.
    w1: gaussian(2 * dim * hidden, Math.sqrt(2 / (2 * dim))),
    b1: new Float32Array(hidden),
    w2: gaussian(hidden * labels, Math.sqrt(1 / hidden)),
    b2: new Float32Array(labels),
  };
}

function forward(m: Classifier, ids: Int32Array): Trace {
  const { dim, hidden, labels, embedding } = m;
  const pooled = new Float64Array(2 * dim);
  const argmax = new Int32Array(dim);
  for (let k = 0; k < dim; k++) pooled[dim + k] = -Infinity;
  for (const id of ids) {
    const row = id * dim;
    for (let k = 0; k < dim; k++) {
      const v = embedding[row + k] as number;
      pooled[k] = (pooled[k] as number) + v;
      if (v > (pooled[dim + k] as number)) {
        pooled[dim + k] = v;
        argmax[k] = id;
      }
    }
  }
  for (let k = 0; k < dim; k++) pooled[k] = (pooled[k] as number) / ids.length;

  const hiddenPre = new Float64Array(hidden);
  const hiddenOut = new Float64Array(hidden);
  for (let j = 0; j < hidden; j++) hiddenPre[j] = m.b1[j] as number;
  for (let i = 0; i < 2 * dim; i++) {
    const x = pooled[i] as number;
    const rowOffset = i * hidden;
    for (let j = 0; j < hidden; j++) hiddenPre[j] = (hiddenPre[j] as number) + x * (m.w1[rowOffset + j] as number);
  }
  for (let j = 0; j < hidden; j++) hiddenOut[j] = Math.max(0, hiddenPre[j] as number);

  const logits = new Float64Array(labels);
  for (let l = 0; l < labels; l++) logits[l] = m.b2[l] as number;
  for (let j = 0; j < hidden; j++) {
    const h = hiddenOut[j] as number;
    if (h === 0) continue;
    for (let l = 0; l < labels; l++) logits[l] = (logits[l] as number) + h * (m.w2[j * labels + l] as number);
  }
  return { ids, pooled, argmax, hiddenPre, hiddenOut, logits };
}

/** Logits for one token sequence, the same function the ONNX graph computes. */
export function predictLogits(m: Classifier, ids: Int32Array): Float64Array {
  return forward(m, ids).logits;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Adam state for one parameter tensor. */
class AdamSlot {
  readonly param: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  constructor(param: Float32Array) {
    this.param = param;
    this.m = new Float32Array(param.length);
    this.v = new Float32Array(param.length);
  }
  /** Updates param[from, to) from grad[from, to); the embedding only updates the rows a batch touched. */
  step(grad: Float32Array, from: number, to: number, lr: number, t: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let i = from; i < to; i++) {
      const g = grad[i] as number;
      const mi = b1 * (this.m[i] as number) + (1 - b1) * g;
      const vi = b2 * (this.v[i] as number) + (1 - b2) * g * g;
      this.m[i] = mi;
      this.v[i] = vi;
      this.param[i] = (this.param[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + 1e-8);
      grad[i] = 0;
    }
  }
}

/** Keeps [CLS] and [SEP] and drops each token between them with the given chance, never all of them. */
function dropTokens(ids: Int32Array, rate: number, rng: Prng): Int32Array {
  if (rate === 0 || ids.length <= 3) return ids;
  const kept: number[] = [ids[0] as number];
  for (let i = 1; i < ids.length - 1; i++) if (rng.next() >= rate) kept.push(ids[i] as number);
  if (kept.length === 1) kept.push(ids[1 + Math.floor(rng.next() * (ids.length - 2))] as number);
  kept.push(ids[ids.length - 1] as number);
  return Int32Array.from(kept);
}

export interface EpochReport {
  epoch: number;
  meanLoss: number;
}

/**
 * Trains from scratch. Example order comes from the seeded PRNG, and every sum runs in a fixed
 * order, so the same inputs and options give bit-identical weights.
 */
export function trainClassifier(
  examples: readonly Example[],
  vocabSize: number,
  labels: number,
  opts: TrainOptions,
  onEpoch: (r: EpochReport) => void = () => {},
): Classifier {
  const rng = new Prng(opts.seed);
  const m = initClassifier(vocabSize, labels, opts, rng);
  const zeroRow = new Uint8Array(vocabSize);
  for (const id of opts.zeroTokenIds) {
    zeroRow[id] = 1;
    m.embedding.fill(0, id * opts.dim, (id + 1) * opts.dim);
  }
  const { dim, hidden } = m;
  const gE = new Float32Array(m.embedding.length);
  const gW1 = new Float32Array(m.w1.length);
  const gB1 = new Float32Array(m.b1.length);
  const gW2 = new Float32Array(m.w2.length);
  const gB2 = new Float32Array(m.b2.length);
  const adamE = new AdamSlot(m.embedding);
  const dense = [
    [new AdamSlot(m.w1), gW1],
    [new AdamSlot(m.b1), gB1],
    [new AdamSlot(m.w2), gW2],
    [new AdamSlot(m.b2), gB2],
  ] as const;
  const touched = new Uint8Array(vocabSize);
  const order = examples.map((_, i) => i);
  const totalSteps = opts.epochs * Math.ceil(examples.length / opts.batchSize);
  let step = 0;

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const batch = order.slice(start, start + opts.batchSize);
      const touchedRows: number[] = [];
      for (const index of batch) {
        const ex = examples[index] as Example;
        const tr = forward(m, dropTokens(ex.ids, opts.tokenDropout, rng));
        // d(loss)/d(logit) of sigmoid BCE is p - y; weighted, and averaged over the batch.
        const dLogits = new Float64Array(labels);
        for (let l = 0; l < labels; l++) {
          const z = tr.logits[l] as number;
          const y = ex.targets[l] as number;
          // Numerically stable BCE with logits.
          const w = ex.weights[l] as number;
          lossSum += w * (Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
          dLogits[l] = (w * (sigmoid(z) - y)) / batch.length;
        }
        const dHidden = new Float64Array(hidden);
        for (let j = 0; j < hidden; j++) {
          const h = tr.hiddenOut[j] as number;
          let acc = 0;
          for (let l = 0; l < labels; l++) {
            const d = dLogits[l] as number;
            gW2[j * labels + l] = (gW2[j * labels + l] as number) + h * d;
            acc += (m.w2[j * labels + l] as number) * d;
          }
          dHidden[j] = (tr.hiddenPre[j] as number) > 0 ? acc : 0;
        }
        for (let l = 0; l < labels; l++) gB2[l] = (gB2[l] as number) + (dLogits[l] as number);
        const dPooled = new Float64Array(2 * dim);
        for (let i = 0; i < 2 * dim; i++) {
          const x = tr.pooled[i] as number;
          const rowOffset = i * hidden;
          let acc = 0;
          for (let j = 0; j < hidden; j++) {
            const d = dHidden[j] as number;
            gW1[rowOffset + j] = (gW1[rowOffset + j] as number) + x * d;
            acc += (m.w1[rowOffset + j] as number) * d;
          }
          dPooled[i] = acc;
        }
        for (let j = 0; j < hidden; j++) gB1[j] = (gB1[j] as number) + (dHidden[j] as number);
        const invLen = 1 / tr.ids.length;
        for (const id of tr.ids) {
          if (!touched[id]) {
            touched[id] = 1;
            touchedRows.push(id);
          }
          for (let k = 0; k < dim; k++) gE[id * dim + k] = (gE[id * dim + k] as number) + (dPooled[k] as number) * invLen;
        }
        for (let k = 0; k < dim; k++) {
          const id = tr.argmax[k] as number;
          gE[id * dim + k] = (gE[id * dim + k] as number) + (dPooled[dim + k] as number);
        }
      }
      step++;
      // Linear decay to zero keeps the last epochs from undoing each other.
      const lr = opts.learningRate * (1 - (step - 1) / totalSteps);
      // Lazy (sparse) Adam on the embedding: only rows seen in this batch move, which keeps an
      // epoch fast with a large vocab.
      for (const id of touchedRows) {
        if (zeroRow[id]) gE.fill(0, id * dim, (id + 1) * dim);
        else adamE.step(gE, id * dim, (id + 1) * dim, lr, step);
        touched[id] = 0;
      }
      for (const [slot, grad] of dense) slot.step(grad, 0, grad.length, lr, step);
    }
    onEpoch({ epoch, meanLoss: lossSum / (examples.length * labels) });
  }
  return m;
}
