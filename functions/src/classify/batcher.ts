/**
 * @module batcher
 * A Scorer that queues sequences from concurrent requests and runs them through the model one
 * batch at a time. It waits at most `maxWaitMs` for company, groups sequences of similar
 * length under a token budget (padding is paid for in full), and refuses new work with
 * OverloadedError when the queued work would take longer than `maxQueueDelayMs`, so a replica
 * under overload answers 503 fast instead of making every request slow.
 *
 * onnxruntime-node runs a forward pass synchronously on this thread, so nothing else happens
 * in the replica while a batch runs: requests that arrive meanwhile wait in their sockets, and
 * new connections wait to be accepted, one per event-loop turn. Hence the event loop gets turns
 * between batches until no more requests come in (they join the next batch, or are shed, instead
 * of waiting unseen), the token budget is kept to a fraction of a second of work, and the batch
 * in progress counts in the wait estimate.
 */
import type { Forward, Scorer } from './scorer.ts';
import { sigmoid } from './scorer.ts';

export interface BatcherOptions {
  /**
   * Longest an idle replica waits for company before running a sequence; 0 runs it as soon
   * as the requests read in the same event-loop turn have joined.
   */
  maxWaitMs: number;
  /** Upper bound on batch size × longest sequence (one sequence longer than this runs alone). */
  tokenBudget: number;
  /** Longest / shortest sequence allowed in one batch. */
  maxLengthRatio: number;
  maxBatchSize: number;
  /** Refuse work when the queue's estimated run time exceeds this. */
  maxQueueDelayMs: number;
}

/**
 * Measured with the full-size q8 stand-in on 2 cores (npm run bench): 256 cells is about 8
 * tweets, where a bare session already does its most texts per CPU second, and about 0.15 s of
 * one core, so the thread is not held long. 500 ms of queue keeps accepted requests well under
 * 2 s at twice saturation, with room for a slower, shared machine and for nginx trying another
 * replica after a 503; a longer queue accepted no more requests, only slower.
 */
export const DEFAULT_BATCHER: BatcherOptions = {
  maxWaitMs: 0,
  tokenBudget: 256,
  maxLengthRatio: 1.25,
  maxBatchSize: 32,
  maxQueueDelayMs: 500,
};

/** What the batcher reports, for metrics. */
export interface BatcherObserver {
  queueDepth(sequences: number): void;
  batch(info: { size: number; tokens: number; inferenceSeconds: number; queueWaitSeconds: number[] }): void;
}

/** Most event-loop turns between two batches; each idle turn costs microseconds. */
const MAX_TURNS_BETWEEN_BATCHES = 64;
/** Turns in a row without a new request after which the next batch starts. */
const QUIET_TURNS = 2;

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
 * const scorer = createBatcher(model.forward, { maxWaitMs: 0, tokenBudget: 256 });
 * const [probabilities] = await scorer.score([model.wrap(model.encode('hello'))]);
 */
export function createBatcher(forward: Forward, options: Partial<BatcherOptions> = {}, observer?: BatcherObserver): Batcher {
  const o: BatcherOptions = { ...DEFAULT_BATCHER, ...options };
  const queue: Pending[] = [];
  let queuedTokens = 0;
  /** Padded cells of the batch in the model now, 0 between batches. */
  let runningCells = 0;
  let running = false;
  let scheduled = false;
  /** Calls to score(), to tell whether an event-loop turn brought new requests. */
  let arrivals = 0;
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
      const cells = batch.length * Math.max(...batch.map((p) => p.sequence.length));
      queuedTokens -= tokens;
      runningCells = cells;
      observer?.queueDepth(queue.length);
      const started = performance.now();
      try {
        const logits = await forward(batch.map((p) => p.sequence));
        const seconds = (performance.now() - started) / 1000;
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
      runningCells = 0;
      await letRequestsIn();
    }
    running = false;
  }

  /**
   * Gives the event loop turns until requests stop coming in: those that arrived during the
   * forward pass join the next batch (or are shed) instead of waiting unseen in the sockets.
   */
  async function letRequestsIn(): Promise<void> {
    for (let turn = 0, quiet = 0; turn < MAX_TURNS_BETWEEN_BATCHES && quiet < QUIET_TURNS; turn++) {
      const before = arrivals;
      await new Promise((resolve) => setImmediate(resolve));
      quiet = arrivals === before ? quiet + 1 : 0;
    }
  }

  function schedule(): void {
    if (running || scheduled) return;
    scheduled = true;
    const start = () => {
      scheduled = false;
      void run();
    };
    if (o.maxWaitMs > 0) setTimeout(start, o.maxWaitMs);
    else setImmediate(start);
  }

  return {
    get depth() {
      return queue.length;
    },
    score(sequences) {
      arrivals++;
      const tokens = sequences.reduce((sum, s) => sum + s.length, 0);
      const delayMs = (runningCells + queuedTokens + tokens) * secondsPerToken * 1000;
      // An idle replica always takes the request, however large, so no request is unservable.
      if ((queue.length > 0 || runningCells > 0) && delayMs > o.maxQueueDelayMs) {
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
