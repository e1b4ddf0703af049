/**
 * @module loader
 * Loads the model once through transformers.js' text-classification pipeline from a local
 * folder (remote download disabled), checks it has toxic-bert's labels, and exposes the two
 * things the rest of the service needs: a tokenizer and a batched forward pass.
 */
import { env, pipeline, Tensor, type TextClassificationPipeline } from '@huggingface/transformers';
import type { ModelDtype } from '../config.ts';
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
}

export interface LoadedModel {
  info: ModelInfo;
  /** Token ids of `text` without special tokens. */
  encode(text: string): number[];
  /** Wraps content ids in the model's special tokens ([CLS] … [SEP]). */
  wrap(contentIds: number[]): number[];
  /**
   * Runs one forward pass on sequences that already carry their special tokens and returns
   * one row of raw logits per sequence. Shorter sequences are padded and masked.
   */
  forward(sequences: number[][]): Promise<Float32Array[]>;
}

export interface LoadOptions {
  modelDir: string;
  offlineModelDir: string;
  modelId: string;
  dtype: ModelDtype;
  ortThreads: number;
}

interface ModelConfigFields {
  id2label?: Record<string, string>;
  max_position_embeddings?: number;
  toxicity_monitor_offline?: boolean;
}

function checkLabels(id2label: Record<string, string> | undefined): void {
  const found = LABELS.map((_, i) => id2label?.[String(i)]);
  if (found.some((label, i) => label !== LABELS[i])) {
    throw new Error(`model labels ${JSON.stringify(found)} are not toxic-bert's ${JSON.stringify(LABELS)}`);
  }
}

function int64Tensor(rows: number[][], width: number, cell: (row: number[], j: number) => number): Tensor {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) data[i * width + j] = BigInt(cell(row, j));
  });
  return new Tensor('int64', data, [rows.length, width]);
}

/**
 * @example
 * const model = await loadModel({ modelDir, offlineModelDir, modelId: 'unitary/toxic-bert', dtype: 'q8', ortThreads: 1 });
 * const [logits] = await model.forward([model.wrap(model.encode('hello'))]);
 */
export async function loadModel(options: LoadOptions): Promise<LoadedModel> {
  const location = locateModel(options);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = location.root;

  const classifier = (await pipeline('text-classification', options.modelId, {
    dtype: options.dtype,
    device: 'cpu',
    session_options: {
      intraOpNumThreads: options.ortThreads,
      // One request's graph runs on this replica's intra-op threads only; replicas share cores.
      interOpNumThreads: 1,
      executionMode: 'sequential',
    },
  })) as TextClassificationPipeline;

  const config = classifier.model.config as unknown as ModelConfigFields;
  checkLabels(config.id2label);
  const { tokenizer, model } = classifier;
  const padId = tokenizer.pad_token_id ?? 0;
  const [clsId, sepId] = tokenizer.encode('', { add_special_tokens: true }) as [number, number];
  const sessionInputs: string[] = (model as unknown as { sessions: { model: { inputNames: string[] } } }).sessions.model
    .inputNames;

  const info: ModelInfo = {
    id: options.modelId,
    dtype: options.dtype,
    labels: LABELS,
    maxTokens: Math.min(config.max_position_embeddings ?? 512, tokenizer.model_max_length ?? 512),
    offline: location.offline || config.toxicity_monitor_offline === true,
  };

  return {
    info,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    wrap: (contentIds) => [clsId, ...contentIds, sepId],
    async forward(sequences) {
      const width = Math.max(...sequences.map((s) => s.length));
      const feeds: Record<string, Tensor> = {
        input_ids: int64Tensor(sequences, width, (row, j) => row[j] ?? padId),
        attention_mask: int64Tensor(sequences, width, (row, j) => (j < row.length ? 1 : 0)),
        token_type_ids: int64Tensor(sequences, width, () => 0),
      };
      const inputs = Object.fromEntries(sessionInputs.map((name) => [name, feeds[name]]));
      const { logits } = (await model(inputs)) as { logits: Tensor };
      const data = logits.data as Float32Array;
      const labels = logits.dims[1] ?? LABELS.length;
      return sequences.map((_, i) => data.slice(i * labels, (i + 1) * labels));
    },
  };
}
