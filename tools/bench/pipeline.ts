/**
 * @module pipeline
 * The service's own inference path, in process: configuration read from environment variables
 * as the server reads them (so ORT_THREADS goes through readConfig and loadModel), then the
 * classifier wired and warmed up as prepareModel does. prepareModel itself is not called
 * because the benchmark also needs the LoadedModel, to hand the bare session the very token
 * ids the pipeline computes.
 */
import { createClassifier, type Classifier } from '../../functions/src/classify/classifier.ts';
import { createDirectScorer } from '../../functions/src/classify/scorer.ts';
import { readConfig, type ModelDtype } from '../../functions/src/config.ts';
import { loadModel, type LoadedModel } from '../../functions/src/model/loader.ts';
import { WARM_UP_TEXT } from '../../functions/src/service.ts';

export interface Pipeline {
  model: LoadedModel;
  /** Wired like prepareModel's: default batch plan. */
  classifier: Classifier;
  /** The same classifier with a different cap on sequences per forward pass. */
  withMaxBatchSize(maxBatchSize: number): Classifier;
  /** loadModel + warm-up, in this process. */
  loadMs: number;
}

export async function loadPipeline(modelDir: string, dtype: ModelDtype, ortThreads: number): Promise<Pipeline> {
  const began = performance.now();
  const config = readConfig({ MODEL_DIR: modelDir, MODEL_DTYPE: dtype, ORT_THREADS: String(ortThreads) });
  const model = await loadModel(config);
  if (model.info.offline) throw new Error(`loadModel fell back to the offline stand-in instead of ${modelDir}`);
  const tokenization = { maxTokens: model.info.maxTokens, encode: model.encode, wrap: model.wrap };
  const withMaxBatchSize = (maxBatchSize?: number) =>
    createClassifier(tokenization, createDirectScorer(model.forward, maxBatchSize ? { maxBatchSize } : {}));
  const classifier = withMaxBatchSize();
  await classifier.classify([WARM_UP_TEXT], { threshold: 0.5, spans: true });
  return { model, classifier, withMaxBatchSize, loadMs: performance.now() - began };
}
