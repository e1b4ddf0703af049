/**
 * @module service
 * Builds the ready-to-serve model: load it (tokenizer here, network in the inference worker),
 * put the fair scheduler in front of it, wire the classifier, and warm it up: one request
 * through the whole path (so the first real one does not pay for first-run costs), then a few
 * forward passes of different shapes so the batch cost model has measured this machine before
 * the first admission decision. The benchmarks and the evaluation build it the same way.
 */
import { createClassifier, type Classifier } from './classify/classifier.ts';
import type { Config } from './config.ts';
import type { ReadyModel } from './lifecycle.ts';
import { loadModel, type LoadedModel } from './model/loader.ts';
import { createBatchCostModel, type BatchCostModel } from './queue/batch-cost-model.ts';
import { createScheduler, type Scheduler, type SchedulerObserver, type SchedulerOptions } from './queue/scheduler.ts';

export const WARM_UP_TEXT = 'Warming up the model. This sentence is harmless.';

/**
 * Batch shapes (size, width) timed at start: short and longer, alone and together, up to a batch
 * of 16, so the first choices of batch size rest on measurements of every term of the cost model.
 */
const CALIBRATION: [number, number][] = [
  [1, 16],
  [4, 16],
  [16, 16],
  [1, 64],
  [2, 64],
  [4, 64],
];

export interface Engine {
  classifier: Classifier;
  scheduler: Scheduler;
  costModel: BatchCostModel;
}

/**
 * The scheduler and classifier over a loaded model, as the service wires them.
 * @example
 * const { classifier } = createEngine(model, config.scheduler, config.maxRequestTokens);
 */
export function createEngine(
  model: LoadedModel,
  scheduler: Partial<SchedulerOptions>,
  budget: number,
  observer?: SchedulerObserver,
): Engine {
  const costModel = createBatchCostModel();
  const queue = createScheduler(model.forwards, costModel, scheduler, observer);
  const tokenization = { maxTokens: model.info.maxTokens, encode: model.encode, wrap: model.wrap };
  return { classifier: createClassifier(tokenization, queue, { budget }), scheduler: queue, costModel };
}

/**
 * One request through the whole path, then the calibration passes the cost model learns from,
 * each shape on every worker at once: every session has run before the first request, and the
 * passes are timed sharing the machine as they will under load.
 */
export async function warmUp(model: LoadedModel, engine: Engine): Promise<void> {
  await engine.classifier.classify([WARM_UP_TEXT], { threshold: 0.5, spans: true, client: 'warm-up', deadline: Infinity });
  const sample = model.encode(WARM_UP_TEXT);
  for (const [size, width] of CALIBRATION) {
    const sequence = model.wrap(Array.from({ length: width - 2 }, (_, i) => sample[i % sample.length]!));
    const passes = await Promise.all(model.forwards.map((forward) => forward(Array.from({ length: size }, () => sequence))));
    for (const { seconds } of passes) engine.costModel.learn(size, width, seconds);
  }
}

export interface PrepareOptions {
  observer?: SchedulerObserver;
  /** Called if the inference worker dies: the replica can no longer score. */
  onCrash?: (error: Error) => void;
}

/**
 * @example
 * const ready = await prepareModel(config); lifecycle.markReady(ready);
 */
export async function prepareModel(config: Config, options: PrepareOptions = {}): Promise<ReadyModel> {
  const model = await loadModel({ ...config, onCrash: options.onCrash });
  const engine = createEngine(model, config.scheduler, config.maxRequestTokens, options.observer);
  await warmUp(model, engine);
  return { classifier: engine.classifier, info: model.info, close: model.close };
}
