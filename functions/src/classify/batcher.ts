/**
 * @module batcher
 * A Scorer that queues sequences from concurrent requests and runs them through the model one
 * batch at a time. It waits at most `maxWaitMs` for company, groups sequences of similar
 * length under a token budget (padding is paid for in full), and refuses new work with
 * OverloadedError when the queued work would take longer than `maxQueueDelayMs`, so a replica
 * under overload answers 503 fast instead of making every request slow.
 */
import type { Forward, Scorer } from './scorer.ts';
import { sigmoid } from './scorer.ts';

export interface BatcherOptions {
  /** Longest a sequence waits for others to share its batch. */
  maxWaitMs: number;
  /** Upper bound on batch size × longest sequence. */
  tokenBudget: number;
  /** Longest / shortest sequence allowed in one batch. */
  maxLengthRatio: number;
  maxBatchSize: number;
  /** Refuse work when the queue's estimated run time exceeds this. */
  maxQueueDelayMs: number;
}

export const DEFAULT_BATCHER: BatcherOptions = {
  maxWaitMs: 2,
  tokenBudget: 4096,
  maxLengthRatio: 1.25,
  maxBatchSize: 32,
  maxQueueDelayMs: 1000,
};

/** What the batcher reports, for metrics. */
export interface BatcherObserver {
  queueDepth(sequences: number): void;
  batch(info: { size: number; tokens: number; inferenceSeconds: number; queueWaitSeconds: number[] }): void;
}

export class OverloadedError extends Error {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('the replica is overloaded');
    this.name = 'OverloadedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Pending {
  sequence: number[];
  enqueuedAt: number;
  resolve(probabilities: Float32Array): void;
  reject(error: unknown): void;
}

export interface Batcher extends Scorer {
  /** Sequences waiting to run. */
  readonly depth: number;
}

/**
 * @example
 * const scorer = createBatcher(model.forward, { maxWaitMs: 2 });
 * const [probabilities] = await scorer.score([model.wrap(model.encode('hello'))]);
 */
export function createBatcher(forward: Forward, options: Partial<BatcherOptions> = {}, observer?: BatcherObserver): Batcher {
  const o: BatcherOptions = { ...DEFAULT_BATCHER, ...options };
  const queue: Pending[] = [];
  let queuedTokens = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  // Seconds per token, learnt from real batches; it turns queued tokens into a wait estimate.
  let secondsPerToken = 0;

  /** The oldest sequence plus queued sequences of similar length, within the budget. */
  function takeBatch(): Pending[] {
    const first = queue[0]!;
    const base = Math.max(1, first.sequence.length);
    const batch = [first];
    let longest = base;
    for (let i = 1; i < queue.length && batch.length < o.maxBatchSize; i++) {
      const length = queue[i]!.sequence.length;
      const ratio = Math.max(length, base) / Math.min(length, base);
      const wouldBeLongest = Math.max(longest, length);
      if (ratio <= o.maxLengthRatio && (batch.length + 1) * wouldBeLongest <= o.tokenBudget) {
        batch.push(queue[i]!);
        longest = wouldBeLongest;
      }
    }
    const taken = new Set(batch);
    const rest = queue.filter((p) => !taken.has(p));
    queue.length = 0;
    queue.push(...rest);
    return batch;
  }

  async function run(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = takeBatch();
      const tokens = batch.reduce((sum, p) => sum + p.sequence.length, 0);
      queuedTokens -= tokens;
      observer?.queueDepth(queue.length);
      const started = performance.now();
      try {
        const logits = await forward(batch.map((p) => p.sequence));
        const seconds = (performance.now() - started) / 1000;
        const cells = batch.length * Math.max(...batch.map((p) => p.sequence.length));
        secondsPerToken = secondsPerToken === 0 ? seconds / cells : 0.8 * secondsPerToken + (0.2 * seconds) / cells;
        observer?.batch({
          size: batch.length,
          tokens,
          inferenceSeconds: seconds,
          queueWaitSeconds: batch.map((p) => (started - p.enqueuedAt) / 1000),
        });
        batch.forEach((p, i) => p.resolve(sigmoid(logits[i]!)));
      } catch (error) {
        batch.forEach((p) => p.reject(error));
      }
    }
    running = false;
  }

  function schedule(): void {
    if (running || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, o.maxWaitMs);
  }

  return {
    get depth() {
      return queue.length;
    },
    score(sequences) {
      const tokens = sequences.reduce((sum, s) => sum + s.length, 0);
      const delayMs = (queuedTokens + tokens) * secondsPerToken * 1000;
      // An idle replica always takes the request, however large, so no request is unservable.
      if (queue.length > 0 && delayMs > o.maxQueueDelayMs) {
        return Promise.reject(new OverloadedError(Math.max(1, Math.ceil(delayMs / 1000))));
      }
      const enqueuedAt = performance.now();
      const results = sequences.map(
        (sequence) =>
          new Promise<Float32Array>((resolve, reject) => {
            queue.push({ sequence, enqueuedAt, resolve, reject });
          }),
      );
      queuedTokens += tokens;
      observer?.queueDepth(queue.length);
      schedule();
      return Promise.all(results);
    },
  };
}
