import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from './config.ts';

describe('readConfig', () => {
  it('uses the documented defaults', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 8080, modelId: 'unitary/toxic-bert', dtype: 'q8', ortThreads: 1 });
    expect(config.modelDir).toBe(DEFAULTS.modelDir);
  });

  it('reads every variable', () => {
    const config = readConfig({ PORT: '3000', MODEL_DIR: '/models', MODEL_ID: 'a/b', MODEL_DTYPE: 'fp32', ORT_THREADS: '2', IDLE_GC_MS: '0' });
    expect(config).toMatchObject({ port: 3000, modelDir: '/models', modelId: 'a/b', dtype: 'fp32', ortThreads: 2, idleGcMs: 0 });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ MODEL_DTYPE: 'fp16' }, /MODEL_DTYPE/],
    [{ ORT_THREADS: '0' }, /ORT_THREADS/],
    [{ ORT_THREADS: '1.5' }, /ORT_THREADS/],
    [{ MODEL_ID: '../../etc' }, /MODEL_ID/],
    [{ IDLE_GC_MS: '-1' }, /IDLE_GC_MS/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
