/**
 * @module loader
 * Loads the model once: its tokenizer and configuration on this thread (every request is
 * tokenised here) and the network itself in the inference worker, both from a local folder
 * (remote download disabled), at the same time. Checks the model has toxic-bert's labels, and
 * exposes what the rest of the service needs: a tokenizer and a batched forward pass.
 */
import { AutoConfig, AutoTokenizer, env } from '@huggingface/transformers';
import type { ModelDtype } from '../config.ts';
import { startInferenceThread, type ForwardResult } from './inference-thread.ts';
import { LABELS } from './labels.ts';
import { locateModel } from './location.ts';

export interface ModelInfo {
  id: string;
  dtype: ModelDtype;
  labels: readonly string[];
  /** Longest sequence the model takes, special tokens included. */
  maxTokens: number;
  /** True for the offline stand-in (the real toxic-bert was not found). */
  offline: boolean;
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
   * Runs one forward pass, in the inference worker, on sequences that already carry their
   * special tokens: one row of raw logits per sequence. Shorter sequences are padded and masked.
   */
  forward(sequences: readonly (readonly number[])[]): Promise<ForwardResult>;
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
  /** Called if the inference worker dies after loading: the replica can no longer score. */
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
 * const model = await loadModel({ modelDir, offlineModelDir, modelId: 'unitary/toxic-bert', dtype: 'q8', explicitModel: true, ortThreads: 1 });
 * const { logits: [row] } = await model.forward([model.wrap(model.encode('hello'))]);
 */
export async function loadModel(options: LoadOptions): Promise<LoadedModel> {
  const location = locateModel(options);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = location.root;

  const inference = startInferenceThread(
    { root: location.root, modelId: options.modelId, dtype: options.dtype, ortThreads: options.ortThreads },
    (error) => options.onCrash?.(error),
  );
  let loaded;
  try {
    loaded = await Promise.all([
      AutoTokenizer.from_pretrained(options.modelId, { local_files_only: true }),
      AutoConfig.from_pretrained(options.modelId, { local_files_only: true }) as Promise<unknown> as Promise<ModelConfigFields>,
      inference,
    ]);
    checkLabels(loaded[1].id2label);
  } catch (error) {
    void inference.then((thread) => thread.close(), () => {});
    throw error;
  }
  const [tokenizer, config, thread] = loaded;
  const [clsId, sepId] = tokenizer.encode('', { add_special_tokens: true }) as [number, number];

  return {
    info: {
      id: options.modelId,
      dtype: options.dtype,
      labels: LABELS,
      maxTokens: Math.min(config.max_position_embeddings ?? 512, tokenizer.model_max_length ?? 512),
      offline: location.offline || config.toxicity_monitor_offline === true,
      dir: location.root,
    },
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    wrap: (contentIds) => [clsId, ...contentIds, sepId],
    forward: (sequences) => thread.forward(sequences),
    close: () => thread.close(),
  };
}
