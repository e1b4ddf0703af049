/**
 * @module pipeline
 * The service's own inference path, in process: configuration read from environment variables
 * as the server reads them (so ORT_THREADS goes through readConfig and loadModel), then the
 * scheduler and classifier wired and warmed up as prepareModel wires them. prepareModel itself
 * is not called because the benchmark also needs the LoadedModel, to hand the bare session the
 * very token ids the pipeline computes.
 */
import type { Classifier, ClassifyOptions } from '../../functions/src/classify/classifier.ts';
import { readConfig, type ModelDtype } from '../../functions/src/config.ts';
import { loadModel, type LoadedModel } from '../../functions/src/model/loader.ts';
import { createEngine, warmUp } from '../../functions/src/service.ts';

export interface Pipeline {
  model: LoadedModel;
  /** Wired like prepareModel's. */
  classifier: Classifier;
  /** The same engine with a different cap on sequences per forward pass, counting its passes. */
  withMaxBatchSize(maxBatchSize: number): Promise<{ classifier: Classifier; passes(): number }>;
  /** loadModel + warm-up, in this process. */
  loadMs: number;
  close(): Promise<void>;
}

/** Options for a classify call from a benchmark: one client, no deadline. */
export const benchOptions = (spans: boolean): ClassifyOptions => ({ threshold: 0.5, spans, client: 'bench', deadline: Infinity });

export async function loadPipeline(modelDir: string, dtype: ModelDtype, ortThreads: number): Promise<Pipeline> {
  const began = performance.now();
  const config = readConfig({ MODEL_DIR: modelDir, MODEL_DTYPE: dtype, ORT_THREADS: String(ortThreads) });
  const model = await loadModel(config);
  if (model.info.offline) throw new Error(`${modelDir} holds the offline stand-in, not a model worth benchmarking`);
  const engine = createEngine(model, config.scheduler, config.maxRequestTokens);
  await warmUp(model, engine);
  return {
    model,
    classifier: engine.classifier,
    async withMaxBatchSize(maxBatchSize) {
      let passes = 0;
      const observer = { queueDepth: () => {}, dropped: () => {}, batch: () => void passes++ };
      // Queue-delay shedding off: a benchmark queues everything at once.
      const sized = createEngine(model, { ...config.scheduler, maxBatchSize, maxQueueDelaySeconds: 3600 }, Infinity, observer);
      await warmUp(model, sized);
      passes = 0;
      return { classifier: sized.classifier, passes: () => passes };
    },
    loadMs: performance.now() - began,
    close: model.close,
  };
}
