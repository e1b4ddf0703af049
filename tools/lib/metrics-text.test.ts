import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../functions/src/metrics/metrics.ts';
import { metricValue } from './metrics-text.ts';

describe('metricValue', () => {
  it("reads a replica's own /metrics text: plain, labelled, and absent values", async () => {
    const metrics = createMetrics();
    metrics.shed.inc({ reason: 'overloaded' }, 3);
    metrics.textsFlagged.inc({ label: 'insult' }, 2);
    const text = await metrics.registry.metrics();
    expect(metricValue(text, 'toxicity_requests_shed_total', 'reason="overloaded"')).toBe(3);
    expect(metricValue(text, 'toxicity_texts_flagged_total', 'label="insult"')).toBe(2);
    expect(metricValue(text, 'toxicity_texts_flagged_total', 'label="threat"')).toBe(0);
    expect(metricValue(text, 'toxicity_texts_flagged_total', 'label="nonsense"')).toBeUndefined();
    // A longer name that starts with the one asked for is another metric.
    expect(metricValue(text, 'toxicity_requests_shed')).toBeUndefined();
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});
