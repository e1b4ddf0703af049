/**
 * @module service
 * Builds the ready-to-serve model: load through transformers.js, put the micro-batcher in
 * front of it, wire the classifier, and run a warm-up inference so the first real request does
 * not pay for it (and the batcher has a cost estimate for load shedding).
 */
import { createBatcher, type BatcherObserver } from './classify/batcher.ts';
import { createClassifier } from './classify/classifier.ts';
import type { Config } from './config.ts';
import type { ReadyModel } from './lifecycle.ts';
import { loadModel } from './model/loader.ts';

export const WARM_UP_TEXT = 'Warming up the model. This sentence is harmless.';

/**
 * @example
 * const ready = await prepareModel(config); lifecycle.markReady(ready);
 */
export async function prepareModel(config: Config, observer?: BatcherObserver): Promise<ReadyModel> {
  const model = await loadModel(config);
  const classifier = createClassifier(
    { maxTokens: model.info.maxTokens, encode: model.encode, wrap: model.wrap },
    createBatcher(model.forward, { ...config.batching, maxLengthRatio: 1.25 }, observer),
  );
  await classifier.classify([WARM_UP_TEXT], { threshold: 0.5, spans: true });
  return { classifier, info: model.info };
}
