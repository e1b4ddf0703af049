/**
 * @module local-scorer
 * Scores in this process, with no server: the service's own engine (createEngine + warmUp from
 * functions/src/service.ts: the same tokenizer, scheduler, batching and budget), configured from
 * the same environment variables (MODEL_DIR, MODEL_DTYPE, ORT_THREADS...). One engine runs its
 * forward passes on one inference thread, so one engine per core is loaded, as the stack runs
 * one replica per core, and each batch goes to the engine with the least work in flight.
 *
 * One setting differs from a replica: the queue-delay bound that makes a replica refuse work
 * (503 / 429) is lifted, since here the scorer is the only client and queued work is exactly
 * what lets the scheduler pick batches of similar lengths.
 */
import { LIMITS } from '../../functions/src/api/schemas.ts';
import { OverBudgetError } from '../../functions/src/classify/cost.ts';
import { readConfig } from '../../functions/src/config.ts';
import { loadModel } from '../../functions/src/model/loader.ts';
import { ClientBusyError, OverloadedError } from '../../functions/src/queue/scheduler.ts';
import { createEngine, warmUp, type Engine } from '../../functions/src/service.ts';
import { EXIT, ScoreError } from './exit-codes.ts';
import type { Attempt, Scorer } from './scorer.ts';

/** Requests queued per engine: enough for the scheduler to match lengths, few enough to stay small. */
const REQUESTS_PER_ENGINE = 4;
const NO_QUEUE_BOUND_SECONDS = 3600;

export interface LocalOptions {
  /** Engines to load, each with its own inference thread; one per core is the most that helps. */
  workers: number;
  batchSize: number;
  /** Most requests in flight; REQUESTS_PER_ENGINE per engine when not given. */
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
  // Loaded side by side: each copy's network loads on its own thread.
  const loads = await Promise.allSettled(Array.from({ length: options.workers }, () => loadModel(config)));
  const models = loads.flatMap((load) => (load.status === 'fulfilled' ? [load.value] : []));
  const engines: { engine: Engine; inFlight: number }[] = [];
  try {
    const failed = loads.find((load) => load.status === 'rejected');
    if (failed) throw failed.reason;
    for (const model of models) {
      const engine = createEngine(model, scheduler, config.maxRequestTokens);
      await warmUp(model, engine);
      engines.push({ engine, inFlight: 0 });
    }
  } catch (error) {
    await Promise.all(models.map((model) => model.close()));
    throw new ScoreError(EXIT.service, `--local could not load the model: ${(error as Error).message}`);
  }
  const { info } = models[0]!;
  return {
    model: { id: info.id, dtype: info.dtype, offline: info.offline, sha256: info.version.sha256, revision: info.version.revision },
    limits: { maxTexts: Math.min(options.batchSize, LIMITS.maxTexts), budget: config.maxRequestTokens, maxTokens: info.maxTokens },
    source: 'in process',
    maxConcurrency: options.concurrency ?? REQUESTS_PER_ENGINE * engines.length,
    async classify(texts, threshold): Promise<Attempt> {
      const slot = engines.reduce((least, e) => (e.inFlight < least.inFlight ? e : least));
      slot.inFlight++;
      try {
        const { results } = await slot.engine.classifier.classify(texts, { threshold, spans: false, client: 'score', deadline: Infinity });
        return { kind: 'scored', results, sha256: info.version.sha256 };
      } catch (error) {
        if (error instanceof OverBudgetError) return { kind: 'too_large', why: error.message };
        if (error instanceof OverloadedError || error instanceof ClientBusyError) {
          return { kind: 'retry', afterMs: error.retryAfterSeconds * 1000, busy: true, why: error.message };
        }
        throw error;
      } finally {
        slot.inFlight--;
      }
    },
    close: async () => {
      await Promise.all(models.map((model) => model.close()));
    },
  };
}
