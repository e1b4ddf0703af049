/**
 * The replica's /metrics after real traffic through the real offline model, in process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { Lifecycle } from '../src/lifecycle.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { prepareModel } from '../src/service.ts';

let app: ReturnType<typeof createApp>;
let text: string;

const post = (path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  const metrics = createMetrics();
  const lifecycle = new Lifecycle();
  app = createApp({ lifecycle, metrics, maxBodyBytes: 1 << 20, faultInjection: true });
  lifecycle.markReady(await prepareModel(readConfig({}), { observer: metrics.schedulerObserver }));
  metrics.modelReady.set(1);

  await post('/api/v1/classify', { texts: ['you stupid bitch', 'have a lovely day'] });
  await post('/api/v1/classify', { text: '' });
  await app.request('/no/such/path/12345');
  await app.request('/debug/fault', { method: 'POST' });
  text = await (await app.request('/metrics')).text();
});

const line = (pattern: RegExp) => text.split('\n').find((l) => pattern.test(l));

describe('/metrics', () => {
  it('counts requests by route pattern, method and status', () => {
    expect(line(/^toxicity_http_requests_total\{route="\/api\/v1\/classify",method="POST",status="200"\} 1$/)).toBeDefined();
    expect(line(/^toxicity_http_requests_total\{route="\/api\/v1\/classify",method="POST",status="400"\} 1$/)).toBeDefined();
    expect(line(/^toxicity_http_requests_total\{route="other",method="GET",status="404"\} 1$/)).toBeDefined();
    expect(text).not.toContain('12345');
  });

  it('counts exceptions by type, and answers them with a JSON 500', async () => {
    expect(line(/^toxicity_exceptions_total\{type="Error"\} 1$/)).toBeDefined();
    const res = await app.request('/debug/fault', { method: 'POST' });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('internal_error');
  });

  it('has duration histograms from 1 ms to 10 s and quantiles', () => {
    expect(line(/^toxicity_http_request_duration_seconds_bucket\{le="0.001",route="\/api\/v1\/classify"\}/)).toBeDefined();
    expect(line(/^toxicity_http_request_duration_seconds_bucket\{le="10",route="\/api\/v1\/classify"\}/)).toBeDefined();
    expect(line(/^toxicity_http_request_duration_quantiles_seconds\{quantile="0.99",route="\/api\/v1\/classify"\}/)).toBeDefined();
    expect(line(/^toxicity_inference_duration_seconds_count [1-9]/)).toBeDefined();
  });

  it('reports batch sizes, queue wait, queue depth, readiness and in-flight', () => {
    expect(line(/^toxicity_inference_batch_size_count [1-9]/)).toBeDefined();
    expect(line(/^toxicity_queue_wait_seconds_count [1-9]/)).toBeDefined();
    expect(line(/^toxicity_queue_depth 0$/)).toBeDefined();
    expect(line(/^toxicity_model_ready 1$/)).toBeDefined();
    expect(line(/^toxicity_http_requests_in_flight /)).toBeDefined();
  });

  it('times each phase of a classify request and records its cost', () => {
    for (const phase of ['tokenization', 'queue', 'inference']) {
      expect(line(new RegExp(`^toxicity_request_${phase}_seconds_count\\{dialect="native"\\} 1$`)), phase).toBeDefined();
    }
    expect(line(/^toxicity_request_cost_tokens_count\{dialect="native"\} 1$/)).toBeDefined();
    expect(Number(line(/^toxicity_request_cost_tokens_sum\{dialect="native"\} /)!.split(' ')[1])).toBeGreaterThan(4);
  });

  it('counts refused requests and dropped work by reason, every reason present from the start', () => {
    for (const reason of ['over_budget', 'client_busy', 'overloaded', 'deadline']) {
      expect(line(new RegExp(`^toxicity_requests_shed_total\\{reason="${reason}"\\} 0$`)), reason).toBeDefined();
    }
    for (const reason of ['client_gone', 'deadline']) {
      expect(line(new RegExp(`^toxicity_dropped_sequences_total\\{reason="${reason}"\\} 0$`)), reason).toBeDefined();
    }
  });

  it('counts flagged texts per label, every label present from the start', () => {
    expect(line(/^toxicity_texts_classified_total\{dialect="native"\} 2$/)).toBeDefined();
    expect(line(/^toxicity_texts_classified_total\{dialect="openai"\} 0$/)).toBeDefined();
    expect(line(/^toxicity_texts_flagged_total\{label="toxic"\} [12]$/)).toBeDefined();
    expect(line(/^toxicity_texts_flagged_total\{label="threat"\} \d+$/)).toBeDefined();
  });

  it('includes the default process metrics', () => {
    expect(line(/^process_resident_memory_bytes \d+/)).toBeDefined();
    expect(line(/^nodejs_eventloop_lag_seconds /)).toBeDefined();
  });
});
