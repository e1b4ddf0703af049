/**
 * @module location
 * Decides which model folder to load: the real model when its files are present in MODEL_DIR,
 * otherwise the committed offline stand-in. Never downloads anything.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelDtype } from '../config.ts';

export interface ModelLocation {
  /** The folder transformers.js uses as `env.localModelPath` (it holds `<modelId>/`). */
  root: string;
  /** True when the real model was missing and the offline stand-in is used instead. */
  offline: boolean;
}

/** transformers.js' file name for each dtype, under `<modelId>/onnx/`. */
export const ONNX_FILE: Record<ModelDtype, string> = {
  q8: 'model_quantized.onnx',
  fp32: 'model.onnx',
};

/** The files transformers.js needs to build the text-classification pipeline. */
export function requiredFiles(dtype: ModelDtype): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/${ONNX_FILE[dtype]}`];
}

export function hasModel(root: string, modelId: string, dtype: ModelDtype): boolean {
  return requiredFiles(dtype).every((file) => existsSync(path.join(root, modelId, file)));
}

/**
 * @example
 * locateModel({ modelDir: 'model/weights', offlineModelDir: 'model/offline', modelId: 'unitary/toxic-bert', dtype: 'q8' })
 * // → { root: '.../model/offline', offline: true } on a machine without the real model
 */
export function locateModel(options: {
  modelDir: string;
  offlineModelDir: string;
  modelId: string;
  dtype: ModelDtype;
}): ModelLocation {
  if (hasModel(options.modelDir, options.modelId, options.dtype)) {
    return { root: options.modelDir, offline: false };
  }
  if (hasModel(options.offlineModelDir, options.modelId, options.dtype)) {
    return { root: options.offlineModelDir, offline: true };
  }
  throw new Error(
    `no model files for ${options.modelId} (${options.dtype}) in ${options.modelDir} nor in ${options.offlineModelDir}; ` +
      `run "npm run model:fetch" or "npm run model:train-offline"`,
  );
}
