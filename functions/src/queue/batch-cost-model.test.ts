import { describe, expect, it } from 'vitest';
import { createBatchCostModel } from './batch-cost-model.ts';

/** A CPU like these machines': 4.5 ms a pass, 0.32 ms a padded token, attention, and a little cache loss. */
const cpu = (size: number, width: number) => 0.0045 + 0.00032 * size * width + 2e-7 * size * width * width + 1e-6 * size * size * width;

/** Repeatable noise: up to ±`share` of each measurement. */
function noisy(share: number) {
  let state = 12345;
  return (seconds: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return seconds * (1 + share * (2 * (state / 2 ** 31) - 1));
  };
}

const relativeError = (predicted: number, actual: number) => Math.abs(predicted - actual) / actual;

describe('batch cost model', () => {
  it('predicts shapes between and beyond those it measured within 5 %', () => {
    const model = createBatchCostModel();
    for (const [size, width] of [[1, 16], [4, 16], [16, 16], [1, 64], [2, 64], [4, 64]] as const) model.learn(size, width, cpu(size, width));
    for (const [size, width] of [[2, 32], [8, 24], [8, 48], [32, 16], [1, 128]] as const) {
      expect(relativeError(model.seconds(size, width), cpu(size, width))).toBeLessThan(0.05);
    }
  });

  it('keeps a shape measured once while another runs thousands of times with noise', () => {
    const model = createBatchCostModel();
    const measure = noisy(0.3);
    model.learn(16, 16, cpu(16, 16));
    model.learn(4, 64, cpu(4, 64));
    for (let i = 0; i < 5000; i++) model.learn(1 + (i % 3), 24 + (i % 16), measure(cpu(1 + (i % 3), 24 + (i % 16))));
    expect(relativeError(model.seconds(16, 16), cpu(16, 16))).toBeLessThan(0.1);
    // So it still knows that a batch of 8 tweets beats one at a time, per tweet.
    expect(model.seconds(8, 32) / 8).toBeLessThan(model.seconds(1, 32) * 0.85);
  });

  it('never predicts a negative price for tokens or batches, whatever it is taught', () => {
    const model = createBatchCostModel();
    // Larger batches measured as cheaper in total than smaller ones: noise, not physics.
    model.learn(1, 32, 0.02);
    model.learn(2, 32, 0.018);
    model.learn(16, 32, 0.015);
    model.learn(1, 64, 0.03);
    for (const size of [1, 2, 4, 8, 16, 32]) {
      expect(model.seconds(size, 32)).toBeGreaterThan(0);
      expect(model.seconds(size * 2, 32)).toBeGreaterThanOrEqual(model.seconds(size, 32));
    }
  });

  it('follows the machine: a shape measured again takes its new cost within a few passes', () => {
    const model = createBatchCostModel();
    for (let i = 0; i < 50; i++) model.learn(4, 32, 0.05);
    for (let i = 0; i < 15; i++) model.learn(4, 32, 0.1);
    expect(relativeError(model.seconds(4, 32), 0.1)).toBeLessThan(0.05);
  });

  it('says how wide a pass it has measured and how many it learnt', () => {
    const model = createBatchCostModel();
    model.learn(1, 16, 0.01);
    model.learn(2, 512, 0.5);
    model.learn(1, 64, 0);
    expect(model.widest).toBe(512);
    expect(model.observations).toBe(2);
  });
});
