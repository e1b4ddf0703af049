/**
 * @module metrics
 * Every Prometheus metric a replica exports, named by phase (request, queue, inference) so a
 * slow phase shows at a glance. Label values are bounded: route patterns, methods, status
 * codes, label names, error types; never text, raw paths or ids.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import type { Classification, TextResult } from '../classify/classifier.ts';
import { LABELS } from '../model/labels.ts';
import { DIALECTS, type Dialect } from '../api/scoring.ts';
import type { DropReason, SchedulerObserver } from '../queue/scheduler.ts';

/** 1 ms to 10 s, roughly ×2 apart: tweets take milliseconds, 32 long texts take seconds. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64];
/** A tweet is tens of tokens; the default budget per request is 10,240. */
const COST_BUCKETS = [16, 64, 256, 1024, 4096, 16384];

/** Why a request was refused without being scored. */
export type ShedReason = 'over_budget' | 'client_busy' | 'overloaded' | 'deadline';
const SHED_REASONS: ShedReason[] = ['over_budget', 'client_busy', 'overloaded', 'deadline'];
const DROP_REASONS: DropReason[] = ['client_gone', 'deadline'];

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
  requestTokenization: Histogram<'dialect'>;
  requestQueue: Histogram<'dialect'>;
  requestInference: Histogram<'dialect'>;
  requestCost: Histogram<'dialect'>;
  textsClassified: Counter<'dialect'>;
  textsFlagged: Counter<'label'>;
  shed: Counter<'reason'>;
  dropped: Counter<'reason'>;
  idleCollections: Counter;
  /** API requests whose key was accepted, by key name (never the key). */
  keyRequests: Counter<'key'>;
  /** API requests refused 401, by reason: missing or unknown (a wrong or revoked key). */
  keyUnauthorized: Counter<'reason'>;
  /** API requests with a key that nginx's rate limit refused 429, by key name. */
  keyRateLimited: Counter<'key'>;
  /** Feeds the scheduler's reports into the queue and inference metrics. */
  schedulerObserver: SchedulerObserver;
  /** Counts a served request: its texts and their flags, its cost, and its phases. */
  recordClassification(dialect: Dialect, results: readonly TextResult[], cost: number, timings: Classification['timings']): void;
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
    requestTokenization: new Histogram({
      name: 'toxicity_request_tokenization_seconds',
      help: 'Time a classify request spent tokenising and planning its model work.',
      buckets: DURATION_BUCKETS,
      labelNames: ['dialect'] as const,
      registers,
    }),
    requestQueue: new Histogram({
      name: 'toxicity_request_queue_seconds',
      help: 'Time from a classify request joining the queue to its first forward pass.',
      buckets: DURATION_BUCKETS,
      labelNames: ['dialect'] as const,
      registers,
    }),
    requestInference: new Histogram({
      name: 'toxicity_request_inference_seconds',
      help: 'Forward passes that held a classify request\'s sequences, in sum.',
      buckets: DURATION_BUCKETS,
      labelNames: ['dialect'] as const,
      registers,
    }),
    requestCost: new Histogram({
      name: 'toxicity_request_cost_tokens',
      help: 'Model work of a classify request: tokens of every sequence it ran, special tokens included.',
      buckets: COST_BUCKETS,
      labelNames: ['dialect'] as const,
      registers,
    }),
    textsClassified: new Counter({
      name: 'toxicity_texts_classified_total',
      help: 'Texts classified, by the dialect of the request (native, perspective, openai).',
      labelNames: ['dialect'] as const,
      registers,
    }),
    textsFlagged: new Counter({
      name: 'toxicity_texts_flagged_total',
      help: 'Texts flagged, by label, at the threshold of their request.',
      labelNames: ['label'] as const,
      registers,
    }),
    shed: new Counter({
      name: 'toxicity_requests_shed_total',
      help:
        'Requests refused unscored, by reason: over_budget (413), client_busy (429: the client has too much queued), ' +
        'overloaded (503), deadline (504).',
      labelNames: ['reason'] as const,
      registers,
    }),
    dropped: new Counter({
      name: 'toxicity_dropped_sequences_total',
      help: 'Queued sequences dropped unscored: client_gone (the client disconnected) or deadline.',
      labelNames: ['reason'] as const,
      registers,
    }),
    idleCollections: new Counter({
      name: 'toxicity_idle_gc_total',
      help: 'Full garbage collections run because the replica had gone quiet after serving requests.',
      registers,
    }),
    keyRequests: new Counter({
      name: 'toxicity_api_key_requests_total',
      help: 'API requests whose key was accepted (API_KEYS_FILE set), by key name.',
      labelNames: ['key'] as const,
      registers,
    }),
    keyUnauthorized: new Counter({
      name: 'toxicity_api_key_unauthorized_total',
      help: 'API requests refused 401 (API_KEYS_FILE set), by reason: missing key, or unknown (wrong or revoked) key.',
      labelNames: ['reason'] as const,
      registers,
    }),
    keyRateLimited: new Counter({
      name: 'toxicity_api_key_rate_limited_total',
      help: "API requests with a key refused 429 by nginx's rate limits, by key name.",
      labelNames: ['key'] as const,
      registers,
    }),
  };
  for (const label of LABELS) metrics.textsFlagged.inc({ label }, 0);
  for (const dialect of DIALECTS) metrics.textsClassified.inc({ dialect }, 0);
  for (const reason of SHED_REASONS) metrics.shed.inc({ reason }, 0);
  for (const reason of DROP_REASONS) metrics.dropped.inc({ reason }, 0);
  for (const reason of ['missing', 'unknown']) metrics.keyUnauthorized.inc({ reason }, 0);

  return {
    ...metrics,
    schedulerObserver: {
      queueDepth: (sequences) => metrics.queueDepth.set(sequences),
      batch: ({ size, tokens, inferenceSeconds, queueWaitSeconds }) => {
        metrics.batchSize.observe(size);
        metrics.batchTokens.observe(tokens);
        metrics.inferenceDuration.observe(inferenceSeconds);
        for (const wait of queueWaitSeconds) metrics.queueWait.observe(wait);
      },
      dropped: (reason, sequences) => metrics.dropped.inc({ reason }, sequences),
    },
    recordClassification(dialect, results, cost, timings) {
      metrics.textsClassified.inc({ dialect }, results.length);
      for (const result of results) for (const label of result.labels) metrics.textsFlagged.inc({ label });
      metrics.requestCost.observe({ dialect }, cost);
      metrics.requestTokenization.observe({ dialect }, timings.tokenize);
      metrics.requestQueue.observe({ dialect }, timings.queue);
      metrics.requestInference.observe({ dialect }, timings.inference);
    },
  };
}
