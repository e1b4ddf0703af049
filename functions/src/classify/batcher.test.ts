import { describe, expect, it } from 'vitest';
import { createBatcher, OverloadedError, type BatcherObserver } from './batcher.ts';
import type { Forward } from './scorer.ts';

/** A forward pass whose logits are the sequence's first token, recording each batch it gets. */
function recordingForward(delayMs = 0) {
  const batches: number[][][] = [];
  const forward: Forward = async (sequences) => {
    batches.push(sequences);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return sequences.map((s) => Float32Array.of(s[0] ?? 0));
  };
  return { batches, forward };
}

const seq = (first: number, length: number) => [first, ...Array(length - 1).fill(7)];

describe('createBatcher', () => {
  it('gives each caller the sigmoid of its own logits, in order', async () => {
    const { forward } = recordingForward();
    const batcher = createBatcher(forward);
    const [a, b] = await Promise.all([batcher.score([seq(0, 5), seq(2, 5)]), batcher.score([seq(-2, 5)])]);
    expect(a[0]![0]).toBe(0.5);
    expect(a[1]![0]).toBeCloseTo(1 / (1 + Math.exp(-2)));
    expect(b[0]![0]).toBeCloseTo(1 / (1 + Math.exp(2)));
  });

  it('joins concurrent requests of similar length into one forward pass', async () => {
    const { batches, forward } = recordingForward();
    const batcher = createBatcher(forward, { maxWaitMs: 5 });
    await Promise.all([batcher.score([seq(1, 10)]), batcher.score([seq(2, 11)]), batcher.score([seq(3, 12)])]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(3);
  });

  it('keeps very different lengths in separate batches', async () => {
    const { batches, forward } = recordingForward();
    const batcher = createBatcher(forward, { maxWaitMs: 5 });
    await Promise.all([batcher.score([seq(1, 10)]), batcher.score([seq(2, 400)]), batcher.score([seq(3, 11)])]);
    expect(batches.map((b) => b.map((s) => s.length))).toEqual([[10, 11], [400]]);
  });

  it('respects the token budget and the batch size cap', async () => {
    const { batches, forward } = recordingForward();
    const batcher = createBatcher(forward, { maxWaitMs: 5, tokenBudget: 100, maxBatchSize: 4 });
    await batcher.score(Array.from({ length: 10 }, (_, i) => seq(i, 30)));
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(3);
      expect(batch.length * 30).toBeLessThanOrEqual(100);
    }
    expect(batches.flat()).toHaveLength(10);
  });

  it('runs one forward pass at a time and picks up what arrived meanwhile', async () => {
    let running = 0;
    let most = 0;
    const forward: Forward = async (sequences) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return sequences.map(() => Float32Array.of(0));
    };
    const batcher = createBatcher(forward, { maxWaitMs: 1 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => new Promise((r) => setTimeout(r, i)).then(() => batcher.score([seq(1, 8)]))));
    expect(most).toBe(1);
  });

  it('sheds work with OverloadedError when the queue would take too long, and recovers', async () => {
    const { forward } = recordingForward(20);
    const batcher = createBatcher(forward, { maxWaitMs: 0, maxQueueDelayMs: 50, maxBatchSize: 1 });
    await batcher.score([seq(1, 10)]); // learns the cost: about 20 ms per 10-token batch
    const attempts = Array.from({ length: 12 }, () => batcher.score([seq(1, 10)]).then(() => 'ok', (e) => e));
    const outcomes = await Promise.all(attempts);
    const shed = outcomes.filter((o) => o instanceof OverloadedError);
    expect(shed.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(0);
    expect((shed[0] as OverloadedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await batcher.score([seq(1, 10)])).toHaveLength(1);
  });

  it('lets sequences that arrive during a forward pass join the next batch', async () => {
    // Like onnxruntime-node: the pass holds the thread, so timers due meanwhile fire after it.
    const batches: number[][] = [];
    const forward: Forward = async (sequences) => {
      batches.push(sequences.map((s) => s.length));
      const until = performance.now() + 30;
      while (performance.now() < until);
      return sequences.map(() => Float32Array.of(0));
    };
    const batcher = createBatcher(forward, { maxWaitMs: 0, maxQueueDelayMs: 60_000 });
    const first = Promise.all([batcher.score([seq(1, 10)]), batcher.score([seq(2, 100)])]);
    const late = new Promise((resolve) => setTimeout(resolve, 5)).then(() => batcher.score([seq(3, 101)]));
    await Promise.all([first, late]);
    expect(batches).toEqual([[10], [100, 101]]);
  });

  it('counts the batch in progress when estimating the wait', async () => {
    const { forward } = recordingForward(40);
    const batcher = createBatcher(forward, { maxWaitMs: 0, maxQueueDelayMs: 60 });
    await batcher.score([seq(1, 10)]); // learns the cost: about 40 ms per 10 tokens
    const running = batcher.score([seq(1, 10)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Queue empty, but 10 tokens in the model plus 10 more is about 80 ms: over the limit.
    await expect(batcher.score([seq(1, 10)])).rejects.toBeInstanceOf(OverloadedError);
    await running;
  });

  it('passes a failed forward pass to every caller in that batch', async () => {
    const batcher = createBatcher(async () => {
      throw new Error('onnx failed');
    });
    await expect(batcher.score([seq(1, 3)])).rejects.toThrow('onnx failed');
    expect(batcher.depth).toBe(0);
  });

  it('reports queue depth, batch size and queue wait', async () => {
    const reports: Parameters<BatcherObserver['batch']>[0][] = [];
    const depths: number[] = [];
    const { forward } = recordingForward();
    const batcher = createBatcher(forward, { maxWaitMs: 5 }, { queueDepth: (d) => depths.push(d), batch: (b) => reports.push(b) });
    await batcher.score([seq(1, 4), seq(2, 4)]);
    expect(depths).toContain(2);
    expect(depths.at(-1)).toBe(0);
    expect(reports[0]!.size).toBe(2);
    expect(reports[0]!.tokens).toBe(8);
    expect(reports[0]!.queueWaitSeconds[0]).toBeGreaterThan(0.003);
  });
});
