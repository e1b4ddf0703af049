/**
 * @module fetch/options
 * Turns the command line and the environment into FetchOptions. MODEL_DIR, MODEL_ID and
 * MODEL_DTYPE go through the service's own readConfig, so the fetcher writes exactly where,
 * and validates exactly as, the service reads.
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../../functions/src/config.ts';
import type { FetchDtype, FetchOptions } from './fetch-model.ts';

export const USAGE = 'usage: npm run model:fetch -- [--dtype q8|fp32|all]';

const DTYPES: readonly FetchDtype[] = ['q8', 'fp32', 'all'];

/**
 * @example
 * resolveOptions(['--dtype', 'fp32'], { HF_ENDPOINT: 'http://127.0.0.1:9000/' })
 * // → { endpoint: 'http://127.0.0.1:9000', repo: 'Xenova/toxic-bert', revision: 'main', dtype: 'fp32', … }
 */
export function resolveOptions(argv: string[], env: NodeJS.ProcessEnv): FetchOptions {
  const dtype = dtypeArgument(argv);
  // Only the variables the fetcher uses: an unrelated bad PORT must not stop a download.
  const config = readConfig({ MODEL_DIR: env.MODEL_DIR, MODEL_ID: env.MODEL_ID, MODEL_DTYPE: dtype ? undefined : env.MODEL_DTYPE });
  return {
    endpoint: endpoint(env.HF_ENDPOINT || 'https://huggingface.co'),
    repo: env.HF_REPO || 'Xenova/toxic-bert',
    revision: env.HF_REVISION || 'main',
    token: env.HF_TOKEN || undefined,
    modelDir: config.modelDir,
    modelId: config.modelId,
    dtype: dtype ?? config.dtype,
  };
}

function dtypeArgument(argv: string[]): FetchDtype | undefined {
  let values: { dtype?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { dtype: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${USAGE}`);
  }
  if (values.dtype === undefined) return undefined;
  const dtype = DTYPES.find((known) => known === values.dtype);
  if (!dtype) throw new Error(`--dtype must be q8, fp32 or all, got "${values.dtype}"`);
  return dtype;
}

function endpoint(raw: string): string {
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new Error(`HF_ENDPOINT must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}
