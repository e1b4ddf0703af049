import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../functions/src/config.ts';
import { fileUrl } from './hub.ts';
import { resolveOptions } from './options.ts';

describe('resolveOptions', () => {
  it('defaults to Xenova/toxic-bert on huggingface.co, into the service model folder, q8', () => {
    expect(resolveOptions([], {})).toEqual({
      endpoint: 'https://huggingface.co',
      repo: 'Xenova/toxic-bert',
      revision: 'main',
      token: undefined,
      modelDir: DEFAULTS.modelDir,
      modelId: 'unitary/toxic-bert',
      dtype: 'q8',
    });
  });

  it('takes MODEL_DTYPE unless --dtype is given', () => {
    expect(resolveOptions([], { MODEL_DTYPE: 'fp32' }).dtype).toBe('fp32');
    expect(resolveOptions(['--dtype', 'all'], { MODEL_DTYPE: 'fp32' }).dtype).toBe('all');
    expect(resolveOptions(['--dtype=q8'], {}).dtype).toBe('q8');
  });

  it('rejects bad input with a one-line reason', () => {
    expect(() => resolveOptions(['--dtype', 'fp16'], {})).toThrow('--dtype must be q8, fp32 or all, got "fp16"');
    expect(() => resolveOptions(['--force'], {})).toThrow(/--force.*usage: npm run model:fetch/);
    expect(() => resolveOptions([], { MODEL_DTYPE: 'int4' })).toThrow(/MODEL_DTYPE must be q8 or fp32/);
    expect(() => resolveOptions([], { HF_ENDPOINT: 'huggingface.co' })).toThrow(/HF_ENDPOINT must be an http\(s\) URL/);
  });

  it('resolves MODEL_DIR like the service does', () => {
    expect(resolveOptions([], { MODEL_DIR: 'some/dir' }).modelDir).toBe(path.resolve('some/dir'));
  });
});

describe('fileUrl', () => {
  it('builds the Hub resolve URL, escaping a revision with slashes', () => {
    const source = { endpoint: 'https://hub.example', repo: 'Xenova/toxic-bert', revision: 'refs/pr/1' };
    expect(fileUrl(source, 'onnx/model.onnx')).toBe('https://hub.example/Xenova/toxic-bert/resolve/refs%2Fpr%2F1/onnx/model.onnx');
  });
});
