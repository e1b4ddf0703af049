/**
 * @module replica-metrics
 * Reads the batcher's own figures from each replica's /metrics (forward passes, sequences per
 * pass, time in inference, requests shed) before and after a phase, so the benchmark can say
 * how busy the model was and how well requests were batched, not only how fast answers came.
 */
import { metricValue } from '../lib/metrics-text.ts';

export interface ReplicaCounters {
  passes: number;
  sequences: number;
  inferenceSeconds: number;
  queueWaitSeconds: number;
  shed: number;
}

export interface BatchingFigures {
  /** Sequences per forward pass. */
  meanBatchSize: number;
  /** Share of the phase a replica spent in forward passes, averaged over replicas. */
  inferenceBusy: number;
  /** Cores' worth of forward passes, all replicas together. */
  inferenceCores: number;
  meanQueueWaitMs: number;
  shed: number;
}

const value = (text: string, name: string): number => metricValue(text, name) ?? 0;

export async function readCounters(replicaUrls: readonly string[]): Promise<ReplicaCounters[]> {
  return Promise.all(
    replicaUrls.map(async (url) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return {
        passes: value(text, 'toxicity_inference_batch_size_count'),
        sequences: value(text, 'toxicity_inference_batch_size_sum'),
        inferenceSeconds: value(text, 'toxicity_inference_duration_seconds_sum'),
        queueWaitSeconds: value(text, 'toxicity_queue_wait_seconds_sum'),
        shed: value(text, 'toxicity_requests_shed_total'),
      };
    }),
  );
}

export function batchingBetween(before: readonly ReplicaCounters[], after: readonly ReplicaCounters[], wallSeconds: number): BatchingFigures {
  const d = (pick: (c: ReplicaCounters) => number) => after.reduce((sum, c, i) => sum + pick(c) - pick(before[i]!), 0);
  const passes = d((c) => c.passes);
  const sequences = d((c) => c.sequences);
  return {
    meanBatchSize: passes > 0 ? sequences / passes : 0,
    inferenceBusy: d((c) => c.inferenceSeconds) / (wallSeconds * after.length),
    inferenceCores: d((c) => c.inferenceSeconds) / wallSeconds,
    meanQueueWaitMs: sequences > 0 ? (d((c) => c.queueWaitSeconds) / sequences) * 1000 : 0,
    shed: d((c) => c.shed),
  };
}
