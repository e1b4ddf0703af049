/**
 * @module loader
 * Loads the model once: its tokenizer and configuration on this thread (every request is
 * tokenised here) and the network itself in the inference worker, both from a local folder
 * (remote download disabled), at the same time, and meanwhile finds the weights' SHA-256.
 * Checks the model has toxic-bert's labels, and exposes what the rest of the service needs: a
 * tokenizer, a batched forward pass on each inference worker, and which weights these are.
 */
import { AutoConfig, AutoTokenizer, env } from '@huggingface/transformers';
import path from 'node:path';
import type { ModelDtype } from '../config.ts';
import { startInferenceThread, type ForwardResult } from './inference-thread.ts';
import { LABELS } from './labels.ts';
import { locateModel, ONNX_FILE } from './location.ts';
import { readWeightsVersion, type WeightsVersion } from './weights-version.ts';

export interface ModelInfo {
  id: string;
  dtype: ModelDtype;
  labels: readonly string[];
  /** Longest sequence the model takes, special tokens included. */
  maxTokens: number;
  /** True for the offline stand-in (the real toxic-bert was not found). */
  offline: boolean;
  /** The weights file in use, for results to cite (weights-version.ts). */
  version: WeightsVersion;
  /** The folder it was loaded from (it holds `<id>/`). */
  dir: string;
}

export interface LoadedModel {
  info: ModelInfo;
  /** Token ids of `text` without special tokens. */
  encode(text: string): number[];
  /** Wraps content ids in the model's special tokens ([CLS] … [SEP]). */
  wrap(contentIds: readonly number[]): number[];
  /**
   * One per inference worker, each its own ONNX Runtime session on a thread of its own: runs one
   * forward pass on sequences that already carry their special tokens, one row of raw logits per
   * sequence. Shorter sequences are padded and masked. A worker runs one pass at a time.
   */
  forwards: readonly ((sequences: readonly (readonly number[])[]) => Promise<ForwardResult>)[];
  close(): Promise<void>;
}

export interface LoadOptions {
  modelDir: string;
  offlineModelDir: string;
  modelId: string;
  dtype: ModelDtype;
  /** The model was chosen (MODEL_DIR, MODEL_ID or MODEL_DTYPE set): no stand-in in its place. */
  explicitModel: boolean;
  ortThreads: number;
  /** Inference workers to start, each with `ortThreads` threads of its own. */
  inferenceWorkers: number;
  /** Called if an inference worker dies after loading: the replica can no longer score. */
  onCrash?: (error: Error) => void;
}

interface ModelConfigFields {
  id2label?: Record<string, string>;
  max_position_embeddings?: number;
  toxicity_monitor_offline?: boolean;
}

/**
 * What logs call the model: the stand-in is never named as the model it stands in for.
 * @example
 * modelName({ id: 'unitary/toxic-bert', offline: true }); // 'the offline stand-in for unitary/toxic-bert'
 */
export function modelName(info: Pick<ModelInfo, 'id' | 'offline'>): string {
  return info.offline ? `the offline stand-in for ${info.id}` : info.id;
}

function checkLabels(id2label: Record<string, string> | undefined): void {
  const found = LABELS.map((_, i) => id2label?.[String(i)]);
  if (found.some((label, i) => label !== LABELS[i])) {
    throw new Error(`model labels ${JSON.stringify(found)} are not toxic-bert's ${JSON.stringify(LABELS)}`);
  }
}

/**
 * @example
 * const model = await loadModel({ modelDir, offlineModelDir, modelId: 'unitary/toxic-bert', dtype: 'q8', explicitModel: true, ortThreads: 1, inferenceWorkers: 1 });
 * const { logits: [row] } = await model.forwards[0]!([model.wrap(model.encode('hello'))]);
 */
export async function loadModel(options: LoadOptions): Promise<LoadedModel> {
  const location = locateModel(options);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = location.root;

  const starting = Array.from({ length: options.inferenceWorkers }, () =>
    startInferenceThread(
      { root: location.root, modelId: options.modelId, dtype: options.dtype, ortThreads: options.ortThreads },
      (error) => options.onCrash?.(error),
    ),
  );
  let loaded;
  try {
    loaded = await Promise.all([
      AutoTokenizer.from_pretrained(options.modelId, { local_files_only: true }),
      AutoConfig.from_pretrained(options.modelId, { local_files_only: true }) as Promise<unknown> as Promise<ModelConfigFields>,
      Promise.all(starting),
      readWeightsVersion(path.join(location.root, options.modelId), `onnx/${ONNX_FILE[options.dtype]}`),
    ]);
    checkLabels(loaded[1].id2label);
  } catch (error) {
    // Every worker that did start is stopped, whichever failed.
    for (const thread of starting) void thread.then((t) => t.close(), () => {});
    throw error;
  }
  const [tokenizer, config, threads, version] = loaded;
  const [clsId, sepId] = tokenizer.encode('', { add_special_tokens: true }) as [number, number];

  return {
    info: {
      id: options.modelId,
      dtype: options.dtype,
      labels: LABELS,
      maxTokens: Math.min(config.max_position_embeddings ?? 512, tokenizer.model_max_length ?? 512),
      offline: location.offline || config.toxicity_monitor_offline === true,
      version,
      dir: location.root,
    },
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    wrap: (contentIds) => [clsId, ...contentIds, sepId],
    forwards: threads.map((thread) => thread.forward),
    close: async () => {
      await Promise.all(threads.map((thread) => thread.close()));
    },
  };
}
