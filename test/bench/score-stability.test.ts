/**
 * Batching must not change scores: every stress-corpus tweet scored alone and inside the
 * batches a busy replica forms (the service's own batcher, everything queued at once) agrees
 * within 1e-3 per label, in both dtypes. `npm run bench` measures the same on the
 * full-size stand-in, whose q8 graph quantises activations per batch.
 */
import { describe, expect, it } from 'vitest';
import { measureScoreStability } from '../../tools/bench/score-stability.ts';
import { loadCorpus } from '../../tools/lib/corpus.ts';
import { OFFLINE_MODEL_DIR } from '../../tools/stack/function-process.ts';

const BOUND = 1e-3;

describe('score stability under batching (offline model)', () => {
  it.each(['q8', 'fp32'] as const)('%s: alone and batched agree within 1e-3', async (dtype) => {
    const result = await measureScoreStability(OFFLINE_MODEL_DIR, dtype, loadCorpus());
    expect(result.offline).toBe(true);
    // The texts really were batched, else the comparison would prove nothing.
    expect(result.meanBatchSize).toBeGreaterThan(4);
    expect(result.worstAbsDiff, JSON.stringify(result)).toBeLessThanOrEqual(BOUND);
  });
});
