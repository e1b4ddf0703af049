import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchCostModel } from './batch-cost-model.ts';
import {
  ClientBusyError,
  ClientGoneError,
  createScheduler,
  DeadlineError,
  OverloadedError,
  type Forward,
  type SchedulerObserver,
  type SchedulerOptions,
} from './scheduler.ts';

/**
 * A cost model with fixed coefficients: `fixed` seconds per pass plus `perToken` per padded token,
 * trusted at every width unless `widest` says how wide a pass it has measured.
 */
function fixedCost(fixed: number, perToken: number, widest = Infinity): BatchCostModel {
  return { seconds: (size, width) => fixed + perToken * size * width, learn: () => {}, observations: 0, widest };
}

/**
 * A forward pass the test finishes by hand (`release`), recording each batch; a row's logit is
 * the sequence's first token, so every caller can check it got its own rows.
 */
function gatedForward() {
  const batches: number[][][] = [];
  const gates: Array<() => void> = [];
  const forward: Forward = (sequences) => {
    batches.push(sequences.map((s) => [...s]));
    return new Promise((resolve) => gates.push(() => resolve({ logits: sequences.map((s) => Float32Array.of(s[0]!)), seconds: 0.01 })));
  };
  /** Finishes the forward pass in progress and lets the scheduler start the next. */
  const release = async () => {
    gates.shift()!();
    await vi.advanceTimersByTimeAsync(0);
  };
  /** Releases forward passes until none is left running. */
  const drain = async () => {
    while (gates.length > 0) await release();
  };
  return { batches, forward, release, drain, lengths: () => batches.map((b) => b.map((s) => s.length)) };
}

const seq = (first: number, length: number) => [first, ...Array<number>(length - 1).fill(7)];
const FAR = 1e12;
const work = (client: string, sequences: number[][], extra: { deadline?: number; signal?: AbortSignal } = {}) => ({
  client,
  sequences,
  deadline: extra.deadline ?? FAR,
  signal: extra.signal,
});
/** Puts a short batch in the model, so what is submitted next waits in the queue. */
const occupy = (scheduler: ReturnType<typeof createScheduler>) => [scheduler.submit(work('busy', [seq(-1, 10)]))];

/** Batching pays (a pass costs 20 ms plus 1 ms a token); no exploration, so choices are exact. */
const OPTIONS: Partial<SchedulerOptions> = { exploreEvery: 0, maxQueueDelaySeconds: 10 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('scheduler: results and batching', () => {
  it('gives each caller its own rows, in order', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.02, 0.001), OPTIONS);
    const a = scheduler.submit(work('a', [seq(1, 5), seq(2, 5)]));
    const b = scheduler.submit(work('b', [seq(3, 5)]));
    await model.release();
    await model.release();
    expect((await a).rows.map((r) => r[0])).toEqual([1, 2]);
    expect((await b).rows.map((r) => r[0])).toEqual([3]);
  });

  it('joins queued sequences of similar length into one forward pass when the cost model says it pays', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.02, 0.001), OPTIONS);
    const busy = occupy(scheduler);
    const rest = [11, 12, 10, 11].map((length, i) => scheduler.submit(work(`c${i}`, [seq(i, length)])));
    await model.drain();
    await Promise.all([...busy, ...rest]);
    expect(model.lengths()).toEqual([[10], [10, 11, 11, 12]]);
  });

  it('cuts the queue into the batches that run it all soonest, not the best batch around the leader alone', async () => {
    const model = gatedForward();
    // A pass costs 10 ms plus 1 ms a padded token.
    const scheduler = createScheduler([model.forward], fixedCost(0.01, 0.001), { ...OPTIONS, maxLengthRatio: 1.5, maxBatchSeconds: 10 });
    const busy = occupy(scheduler);
    // Around the leader (14 tokens) alone, 14 + 20 + 21 score most tokens per second (55 in
    // 73 ms), leaving 10 + 11 a pass of their own (32 ms): 105 ms in all. The cut of the whole
    // queue runs 10 + 11 + 14 (52 ms) and 20 + 21 (52 ms): 104 ms.
    const rest = [14, 20, 21, 10, 11].map((length, i) => scheduler.submit(work(`c${i}`, [seq(i, length)])));
    await model.drain();
    await Promise.all([...busy, ...rest]);
    expect(model.lengths().slice(1)).toEqual([[10, 11, 14], [20, 21]]);
  });

  it('runs sequences one by one when a forward pass has no fixed cost to share', async () => {
    const model = gatedForward();
    // Per token, a bigger batch costs more here (like a CPU whose caches a big batch overflows).
    const costModel: BatchCostModel = { seconds: (size, width) => 0.001 * size * width * (1 + size / 4), learn: () => {}, observations: 0, widest: Infinity };
    const scheduler = createScheduler([model.forward], costModel, OPTIONS);
    const all = [10, 10, 10, 10].map((length, i) => scheduler.submit(work(`c${i}`, [seq(i, length)])));
    for (let i = 0; i < 4; i++) await model.release();
    await Promise.all(all);
    expect(model.lengths()).toEqual([[10], [10], [10], [10]]);
  });

  it('never puts sequences further apart than the length ratio in one batch', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(1, 0), { ...OPTIONS, maxLengthRatio: 1.5, maxBatchSeconds: 10 });
    const busy = occupy(scheduler);
    const rest = [10, 15, 16, 30].map((length, i) => scheduler.submit(work(`c${i}`, [seq(i, length)])));
    await model.drain();
    await Promise.all([...busy, ...rest]);
    for (const batch of model.lengths()) expect(Math.max(...batch) / Math.min(...batch)).toBeLessThanOrEqual(1.5);
    expect(model.lengths().slice(1)).toEqual([[10, 15], [16], [30]]);
  });

  it('keeps a batch within the latency bound unless one sequence alone exceeds it', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.02, 0.001), { ...OPTIONS, maxBatchSeconds: 0.05 });
    const busy = occupy(scheduler);
    const rest = [10, 10, 10, 10, 100].map((length, i) => scheduler.submit(work(`c${i}`, [seq(i, length)])));
    await model.drain();
    await Promise.all([...busy, ...rest]);
    // 0.02 + 0.001·B·10 ≤ 0.05 allows three tweets; the 100-token sequence (0.12 s) runs alone.
    expect(model.lengths()).toEqual([[10], [10, 10, 10], [10], [100]]);
  });

  it('runs a sequence wider than any pass the cost model has measured alone, then batches by its prediction', async () => {
    const model = gatedForward();
    let widest = 64;
    const costModel = { ...fixedCost(0.02, 0.0001), learn: (_size: number, width: number) => void (widest = Math.max(widest, width)) };
    Object.defineProperty(costModel, 'widest', { get: () => widest });
    const scheduler = createScheduler([model.forward], costModel, { ...OPTIONS, maxBatchSeconds: 10 });
    const busy = occupy(scheduler);
    const windows = [0, 1, 2, 3].map((i) => scheduler.submit(work(`w${i}`, [seq(i, 512)])));
    await model.drain();
    await Promise.all([...busy, ...windows]);
    // Nothing goes to the model behind the unmeasured pass; once a 512-token pass has been
    // measured, the prediction batches the rest.
    expect(model.lengths().slice(1)).toEqual([[512], [512, 512, 512]]);
  });

  it('answers the requests of a failed forward pass with its error and goes on', async () => {
    let calls = 0;
    const forward: Forward = async (sequences) => {
      if (calls++ === 0) throw new Error('boom');
      return { logits: sequences.map(() => Float32Array.of(0)), seconds: 0.01 };
    };
    const scheduler = createScheduler([forward], fixedCost(0.02, 0.001), OPTIONS);
    await expect(scheduler.submit(work('a', [seq(1, 5)]))).rejects.toThrow('boom');
    await expect(scheduler.submit(work('a', [seq(1, 5)]))).resolves.toMatchObject({ rows: [Float32Array.of(0)] });
  });
});

describe('scheduler: fairness', () => {
  it('chooses the next batch when the model has answered the last, from all that arrived meanwhile', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.01, 0.001), { ...OPTIONS, maxBatchSeconds: 0.1 });
    const first = scheduler.submit(work('a', [seq(1, 10)]));
    const later = [2, 3, 4].map((first) => scheduler.submit(work(`c${first}`, [seq(first, 10)])));
    expect(model.batches).toHaveLength(1);
    await model.release();
    expect(model.batches.map((b) => b.map((s) => s[0]))).toEqual([[1], [2, 3, 4]]);
    await model.drain();
    await Promise.all([first, ...later]);
  });

  it('serves another client between the parts of an expensive request', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.001, 0.001), { ...OPTIONS, maxBatchSeconds: 0.6 });
    const long = scheduler.submit(work('greedy', Array.from({ length: 6 }, (_, i) => seq(100 + i, 500))));
    await vi.advanceTimersByTimeAsync(0);
    const short = scheduler.submit(work('polite', [seq(1, 20)]));
    await model.release();
    // One part of the long request was in the model; the next pass is the polite client's.
    expect(model.batches.map((b) => b.map((s) => s[0]))).toEqual([[100], [1]]);
    await model.drain();
    await Promise.all([long, short]);
  });

  it('admits a long request while short ones stream, and finishes it', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.001, 0.0001), { ...OPTIONS, maxQueueDelaySeconds: 0.5, maxBatchSeconds: 0.1 });
    const stream: Promise<unknown>[] = [scheduler.submit(work('s0', [seq(0, 20)]))];
    let long: Promise<unknown> | undefined;
    for (let i = 1; i <= 40; i++) {
      stream.push(scheduler.submit(work(`s${i}`, [seq(i, 20)])));
      // About 2 s of work: more than the queue-delay bound, but it starts at once.
      if (i === 5) long = scheduler.submit(work('long', Array.from({ length: 40 }, (_, j) => seq(1000 + j, 500))));
      await model.release();
    }
    await model.drain();
    await expect(long).resolves.toMatchObject({ rows: expect.arrayContaining([Float32Array.of(1039)]) });
    await Promise.all(stream);
  });

  it("admits a client's tweet while its own long text is queued, and runs it between the long text's parts", async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.001, 0.0001), { ...OPTIONS, maxQueueDelaySeconds: 0.5, maxBatchSeconds: 0.1 });
    // About 2 s of work, four times the queue-delay bound, all of it the same client's.
    const long = scheduler.submit(work('a', Array.from({ length: 40 }, (_, j) => seq(1000 + j, 500))));
    let tweetDone = false;
    const tweet = scheduler.submit(work('a', [seq(7, 20)])).then((result) => ((tweetDone = true), result));
    // In the model: the long text's first part; then at most one more part of it before the tweet.
    for (let i = 0; i < 3; i++) await model.release();
    expect(tweetDone).toBe(true);
    expect(model.lengths().slice(0, 3)).toContainEqual([20]);
    await model.drain();
    await Promise.all([long, tweet]);
  });

  it('refuses with 429 a client whose own backlog is the wait, while another client is admitted', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0, 0.001), { ...OPTIONS, maxQueueDelaySeconds: 0.5 });
    const first = scheduler.submit(work('greedy', [seq(1, 300)]));
    const second = scheduler.submit(work('greedy', [seq(2, 300), seq(3, 300)]));
    const refused = scheduler.submit(work('greedy', [seq(4, 300)]));
    await expect(refused).rejects.toBeInstanceOf(ClientBusyError);
    const other = scheduler.submit(work('polite', [seq(5, 20)]));
    for (let i = 0; i < 4; i++) await model.release();
    await Promise.all([first, second, other]);
  });

  it('sheds with 503 when other clients’ queued work is the wait', async () => {
    const model = gatedForward();
    // 20 ms a tweet, 1 ms for every further one in the same pass.
    const costModel: BatchCostModel = { seconds: (size) => 0.019 + 0.001 * size, learn: () => {}, observations: 0, widest: Infinity };
    const scheduler = createScheduler([model.forward], costModel, { ...OPTIONS, maxQueueDelaySeconds: 0.49, maxBatchSize: 1 });
    const admitted = Array.from({ length: 25 }, (_, i) => scheduler.submit(work(`c${i}`, [seq(i, 20)])));
    // One runs, 24 wait: a newcomer would start after each of them, 0.5 s from now.
    await expect(scheduler.submit(work('late', [seq(99, 20)]))).rejects.toBeInstanceOf(OverloadedError);
    await model.drain();
    await Promise.all(admitted);
  });

  it('takes a request of any size on an idle replica', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0, 0.001), { ...OPTIONS, maxQueueDelaySeconds: 0.01 });
    const huge = scheduler.submit(work('a', Array.from({ length: 30 }, (_, i) => seq(i, 512))));
    for (let i = 0; i < 30; i++) await model.release();
    expect((await huge).rows).toHaveLength(30);
  });
});

describe('scheduler: several inference workers', () => {
  it('hands a batch to each free worker at once, and a busy worker its next from the one queue', async () => {
    const [first, second] = [gatedForward(), gatedForward()];
    const scheduler = createScheduler([first.forward, second.forward], fixedCost(0.02, 0.001), OPTIONS);
    const a = scheduler.submit(work('a', [seq(1, 10)]));
    const b = scheduler.submit(work('b', [seq(2, 30)]));
    // Both workers busy: this one waits for whichever answers first.
    const c = scheduler.submit(work('c', [seq(3, 10)]));
    expect([first.lengths(), second.lengths()]).toEqual([[[10]], [[30]]]);
    await first.release();
    expect(first.lengths()).toEqual([[10], [10]]);
    await first.drain();
    await second.drain();
    expect((await Promise.all([a, b, c])).map((r) => r.rows[0]![0])).toEqual([1, 2, 3]);
  });

  it('counts every worker when it predicts the wait: two workers admit twice the queue of one', async () => {
    // 20 ms a tweet, one per pass; a request is refused once its start is predicted past 495 ms.
    const admittedBeforeRefusal = (workers: number) => {
      const models = Array.from({ length: workers }, () => gatedForward());
      const scheduler = createScheduler(
        models.map((m) => m.forward),
        fixedCost(0, 0.001),
        { ...OPTIONS, maxQueueDelaySeconds: 0.495, maxBatchSize: 1 },
      );
      for (let admitted = 0; admitted < 1000; admitted++) {
        try {
          scheduler.admit(`c${admitted}`, [20]);
        } catch (error) {
          return { admitted, error };
        }
        void scheduler.submit(work(`c${admitted}`, [seq(admitted, 20)]));
      }
      throw new Error('never refused');
    };
    // Each waits for the soonest worker (20 ms), then for its share of the queue ahead: with one
    // worker 20 ms a queued tweet, with two 10 ms.
    const one = admittedBeforeRefusal(1);
    const two = admittedBeforeRefusal(2);
    expect(one.error).toBeInstanceOf(OverloadedError);
    expect(two.error).toBeInstanceOf(OverloadedError);
    expect([one.admitted, two.admitted]).toEqual([25, 50]);
  });
});

describe('scheduler: work nobody waits for', () => {
  it('drops the queued work of a client that went away', async () => {
    const model = gatedForward();
    const dropped: Array<[string, number]> = [];
    const observer: SchedulerObserver = { queueDepth: () => {}, batch: () => {}, dropped: (reason, n) => dropped.push([reason, n]) };
    const scheduler = createScheduler([model.forward], fixedCost(0.02, 0.001), OPTIONS, observer);
    const busy = occupy(scheduler);
    const leaving = new AbortController();
    const gone = scheduler.submit(work('b', [seq(2, 10), seq(3, 10)], { signal: leaving.signal }));
    expect(scheduler.depth).toBe(2);
    leaving.abort();
    await expect(gone).rejects.toBeInstanceOf(ClientGoneError);
    expect(scheduler.depth).toBe(0);
    expect(dropped).toEqual([['client_gone', 2]]);
    await model.drain();
    await Promise.all(busy);
    expect(model.batches.flat().map((s) => s[0])).toEqual([-1]);
  });

  it('drops work not started by its deadline and answers DeadlineError', async () => {
    const model = gatedForward();
    const dropped: Array<[string, number]> = [];
    const observer: SchedulerObserver = { queueDepth: () => {}, batch: () => {}, dropped: (reason, n) => dropped.push([reason, n]) };
    const scheduler = createScheduler([model.forward], fixedCost(0.02, 0.001), OPTIONS, observer);
    const busy = occupy(scheduler);
    const late = scheduler.submit(work('b', [seq(2, 10)], { deadline: performance.now() + 1000 }));
    const rejected = expect(late).rejects.toBeInstanceOf(DeadlineError);
    await vi.advanceTimersByTimeAsync(1001);
    await rejected;
    expect(dropped).toEqual([['deadline', 1]]);
    await model.drain();
    await Promise.all(busy);
    expect(model.batches).toHaveLength(1);
  });

  it('lets work already in the model finish after the deadline', async () => {
    const model = gatedForward();
    const scheduler = createScheduler([model.forward], fixedCost(0.02, 0.001), OPTIONS);
    const started = scheduler.submit(work('a', [seq(1, 10)], { deadline: performance.now() + 1000 }));
    await vi.advanceTimersByTimeAsync(2000);
    await model.release();
    await expect(started).resolves.toMatchObject({ rows: [Float32Array.of(1)] });
  });
});
