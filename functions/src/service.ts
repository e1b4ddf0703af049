/**
 * @module service
 * Builds the ready-to-serve model: load through transformers.js, wire the scorer and the
 * classifier, and run a warm-up inference so the first real request does not pay for it.
 */
import { createClassifier } from './classify/classifier.ts';
import { createDirectScorer } from './classify/scorer.ts';
import type { Config } from './config.ts';
import type { ReadyModel } from './lifecycle.ts';
import { loadModel } from './model/loader.ts';

export const WARM_UP_TEXT = 'Warming up the model. This sentence is harmless.';

/**
 * @example
 * const ready = await prepareModel(config); lifecycle.markReady(ready);
 */
export async function prepareModel(config: Config): Promise<ReadyModel> {
  const model = await loadModel(config);
  const classifier = createClassifier(
    { maxTokens: model.info.maxTokens, encode: model.encode, wrap: model.wrap },
    createDirectScorer(model.forward),
  );
  await classifier.classify([WARM_UP_TEXT], { threshold: 0.5, spans: true });
  return { classifier, info: model.info };
}
