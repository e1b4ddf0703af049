/**
 * @module metrics
 * Every Prometheus metric a replica exports, named by phase (request, queue, inference) so a
 * slow phase shows at a glance. Label values are bounded: route patterns, methods, status
 * codes, label names, error types; never text, raw paths or ids.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import type { BatcherObserver } from '../classify/batcher.ts';
import { LABELS, type Label } from '../model/labels.ts';

/** 1 ms to 10 s, roughly ×2 apart: tweets take milliseconds, 32 long texts take seconds. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64];

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  exceptions: Counter<'type'>;
  inFlight: Gauge;
  modelReady: Gauge;
  queueDepth: Gauge;
  requestDuration: Histogram<'route'>;
  requestDurationQuantiles: Summary<'route'>;
  inferenceDuration: Histogram;
  batchSize: Histogram;
  batchTokens: Histogram;
  queueWait: Histogram;
  textsClassified: Counter;
  textsFlagged: Counter<'label'>;
  shed: Counter;
  idleCollections: Counter;
  /** Feeds the batcher's reports into the queue and inference metrics. */
  batcherObserver: BatcherObserver;
  /** Counts one classified text and each label it was flagged for. */
  recordFlags(labels: readonly Label[]): void;
}

/**
 * @example
 * const metrics = createMetrics();
 * app.get('/metrics', async () => new Response(await metrics.registry.metrics()));
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const metrics = {
    registry,
    requests: new Counter({
      name: 'toxicity_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    exceptions: new Counter({
      name: 'toxicity_exceptions_total',
      help: 'Unexpected errors caught while serving, by error type.',
      labelNames: ['type'] as const,
      registers,
    }),
    inFlight: new Gauge({ name: 'toxicity_http_requests_in_flight', help: 'HTTP requests being served now.', registers }),
    modelReady: new Gauge({ name: 'toxicity_model_ready', help: '1 when the model is loaded and warmed up, else 0.', registers }),
    queueDepth: new Gauge({ name: 'toxicity_queue_depth', help: 'Sequences waiting for the model.', registers }),
    requestDuration: new Histogram({
      name: 'toxicity_http_request_duration_seconds',
      help: 'Time from request to response, by route pattern.',
      labelNames: ['route'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    requestDurationQuantiles: new Summary({
      name: 'toxicity_http_request_duration_quantiles_seconds',
      help: 'Request duration quantiles over the last 10 minutes, by route pattern.',
      labelNames: ['route'] as const,
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers,
    }),
    inferenceDuration: new Histogram({
      name: 'toxicity_inference_duration_seconds',
      help: 'Time of one forward pass of the model over a batch.',
      buckets: DURATION_BUCKETS,
      registers,
    }),
    batchSize: new Histogram({
      name: 'toxicity_inference_batch_size',
      help: 'Sequences per forward pass.',
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    }),
    batchTokens: new Histogram({
      name: 'toxicity_inference_batch_tokens',
      help: 'Tokens per forward pass, padding excluded.',
      buckets: [16, 64, 256, 512, 1024, 2048, 4096, 8192],
      registers,
    }),
    queueWait: new Histogram({
      name: 'toxicity_queue_wait_seconds',
      help: 'Time a sequence waited in the queue before its forward pass began.',
      buckets: DURATION_BUCKETS,
      registers,
    }),
    textsClassified: new Counter({ name: 'toxicity_texts_classified_total', help: 'Texts classified.', registers }),
    textsFlagged: new Counter({
      name: 'toxicity_texts_flagged_total',
      help: 'Texts flagged, by label, at the threshold of their request.',
      labelNames: ['label'] as const,
      registers,
    }),
    shed: new Counter({
      name: 'toxicity_requests_shed_total',
      help: 'Requests refused with 503 because the queue was full.',
      registers,
    }),
    idleCollections: new Counter({
      name: 'toxicity_idle_gc_total',
      help: 'Full garbage collections run because the replica had gone quiet after serving requests.',
      registers,
    }),
  };
  for (const label of LABELS) metrics.textsFlagged.inc({ label }, 0);

  return {
    ...metrics,
    batcherObserver: {
      queueDepth: (sequences) => metrics.queueDepth.set(sequences),
      batch: ({ size, tokens, inferenceSeconds, queueWaitSeconds }) => {
        metrics.batchSize.observe(size);
        metrics.batchTokens.observe(tokens);
        metrics.inferenceDuration.observe(inferenceSeconds);
        for (const wait of queueWaitSeconds) metrics.queueWait.observe(wait);
      },
    },
    recordFlags(labels) {
      metrics.textsClassified.inc();
      for (const label of labels) metrics.textsFlagged.inc({ label });
    },
  };
}
