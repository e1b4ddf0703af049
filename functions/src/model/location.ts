/**
 * @module location
 * Decides which model folder to load: the model MODEL_DIR, MODEL_ID and MODEL_DTYPE name when
 * its files are there; otherwise, only when none of those was set, the committed offline
 * stand-in. A model someone chose but that is missing stops the replica instead of being
 * quietly replaced. Never downloads anything.
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

/** The model that was asked for is not there; the message says what is missing and what to do. */
export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
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

/** The required files absent from `<root>/<modelId>/`. */
export function missingFiles(root: string, modelId: string, dtype: ModelDtype): string[] {
  return requiredFiles(dtype).filter((file) => !existsSync(path.join(root, modelId, file)));
}

export function hasModel(root: string, modelId: string, dtype: ModelDtype): boolean {
  return missingFiles(root, modelId, dtype).length === 0;
}

/**
 * @example
 * locateModel({ modelDir: 'model/weights', offlineModelDir: 'model/offline', modelId: 'unitary/toxic-bert', dtype: 'q8', explicitModel: false })
 * // → { root: '.../model/offline', offline: true } on a machine without the real model
 */
export function locateModel(options: {
  modelDir: string;
  offlineModelDir: string;
  modelId: string;
  dtype: ModelDtype;
  explicitModel: boolean;
}): ModelLocation {
  const missing = missingFiles(options.modelDir, options.modelId, options.dtype);
  if (missing.length === 0) return { root: options.modelDir, offline: false };
  if (options.explicitModel) {
    throw new ModelNotFoundError(
      `no ${options.modelId} (${options.dtype}) model in MODEL_DIR ${options.modelDir}: ` +
        `${missing.map((file) => path.join(options.modelId, file)).join(', ')} missing. MODEL_DIR, MODEL_ID or MODEL_DTYPE is set, ` +
        `so the offline stand-in does not replace it: run "npm run model:fetch" with the same settings, or unset them to start on the stand-in`,
    );
  }
  if (hasModel(options.offlineModelDir, options.modelId, options.dtype)) {
    return { root: options.offlineModelDir, offline: true };
  }
  throw new ModelNotFoundError(
    `no model files for ${options.modelId} (${options.dtype}) in ${options.modelDir} nor in ${options.offlineModelDir}; ` +
      `run "npm run model:fetch" or "npm run model:train-offline"`,
  );
}
