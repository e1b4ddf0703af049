/**
 * @module local-scorer
 * Scores in this process, with no server: the service's own engine (createEngine + warmUp from
 * functions/src/service.ts: the same tokenizer, scheduler, batching and budget), configured from
 * the same environment variables (MODEL_DIR, MODEL_DTYPE, ORT_THREADS...). The engine runs one
 * inference worker per core asked for (--workers, as INFERENCE_WORKERS does in a replica), all
 * fed from its one queue.
 *
 * One setting differs from a replica: the queue-delay bound that makes a replica refuse work
 * (503 / 429) is lifted, since here the scorer is the only client and queued work is exactly
 * what lets the scheduler pick batches of similar lengths.
 */
import { LIMITS } from '../../functions/src/api/schemas.ts';
import { OverBudgetError } from '../../functions/src/classify/cost.ts';
import { readConfig } from '../../functions/src/config.ts';
import { loadModel, type LoadedModel } from '../../functions/src/model/loader.ts';
import { ClientBusyError, OverloadedError } from '../../functions/src/queue/scheduler.ts';
import { createEngine, warmUp } from '../../functions/src/service.ts';
import { EXIT, ScoreError } from './exit-codes.ts';
import type { Attempt, Scorer } from './scorer.ts';

/** Requests queued per worker: enough for the scheduler to match lengths, few enough to stay small. */
const REQUESTS_PER_WORKER = 4;
const NO_QUEUE_BOUND_SECONDS = 3600;

export interface LocalOptions {
  /** Inference workers of the one engine, each a thread of its own; one per core is the most that helps. */
  workers: number;
  batchSize: number;
  /** Most requests in flight; REQUESTS_PER_WORKER per worker when not given. */
  concurrency?: number;
  env: NodeJS.ProcessEnv;
}

/**
 * @example
 * const scorer = await openLocalScorer({ workers: 2, batchSize: 32, env: process.env });
 * await scorer.classify(['you idiot'], 0.5); await scorer.close();
 */
export async function openLocalScorer(options: LocalOptions): Promise<Scorer> {
  let config;
  try {
    config = readConfig(options.env);
  } catch (error) {
    throw new ScoreError(EXIT.usage, `--local reads the service's settings from the environment: ${(error as Error).message}`);
  }
  const scheduler = { ...config.scheduler, maxQueueDelaySeconds: NO_QUEUE_BOUND_SECONDS };
  const couldNotLoad = (error: unknown) => new ScoreError(EXIT.service, `--local could not load the model: ${(error as Error).message}`);
  let model: LoadedModel;
  try {
    model = await loadModel({ ...config, inferenceWorkers: options.workers });
  } catch (error) {
    throw couldNotLoad(error);
  }
  const engine = createEngine(model, scheduler, config.maxRequestTokens);
  try {
    await warmUp(model, engine);
  } catch (error) {
    await model.close();
    throw couldNotLoad(error);
  }
  const { info } = model;
  return {
    model: { id: info.id, dtype: info.dtype, offline: info.offline, sha256: info.version.sha256, revision: info.version.revision },
    limits: { maxTexts: Math.min(options.batchSize, LIMITS.maxTexts), budget: config.maxRequestTokens, maxTokens: info.maxTokens },
    source: 'in process',
    maxConcurrency: options.concurrency ?? REQUESTS_PER_WORKER * options.workers,
    async classify(texts, threshold): Promise<Attempt> {
      try {
        const { results } = await engine.classifier.classify(texts, { threshold, spans: false, client: 'score', deadline: Infinity });
        return { kind: 'scored', results, sha256: info.version.sha256 };
      } catch (error) {
        if (error instanceof OverBudgetError) return { kind: 'too_large', why: error.message };
        if (error instanceof OverloadedError || error instanceof ClientBusyError) {
          return { kind: 'retry', afterMs: error.retryAfterSeconds * 1000, busy: true, why: error.message };
        }
        throw error;
      }
    },
    close: () => model.close(),
  };
}
