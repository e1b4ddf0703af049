import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig, type Config } from './config.ts';

/** The names readConfig looks up in the environment it is given, read off readConfig itself. */
function variablesRead(): string[] {
  const names = new Set<string>();
  readConfig(new Proxy({}, { get: (_, name) => void (typeof name === 'string' && names.add(name)) }));
  return [...names].sort();
}

/**
 * Every variable with a value unlike its default and where that value must land. A variable
 * readConfig reads but this table lacks fails the first test below until it is added here.
 */
type Expected = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] };
const EVERY_VARIABLE: Record<string, [string, Expected]> = {
  PORT: ['3000', { port: 3000 }],
  HOST: ['127.0.0.1', { host: '127.0.0.1' }],
  MODEL_DIR: ['/models', { modelDir: '/models', explicitModel: true }],
  OFFLINE_MODEL_DIR: ['/stand-in', { offlineModelDir: '/stand-in' }],
  MODEL_ID: ['a/b', { modelId: 'a/b', explicitModel: true }],
  MODEL_DTYPE: ['fp32', { dtype: 'fp32', explicitModel: true }],
  ORT_THREADS: ['2', { ortThreads: 2 }],
  INFERENCE_WORKERS: ['3', { inferenceWorkers: 3 }],
  MAX_BODY_BYTES: ['2048', { maxBodyBytes: 2048 }],
  DRAIN_TIMEOUT_MS: ['1234', { drainTimeoutMs: 1234 }],
  STATIC_DIR: ['/page', { staticDir: '/page' }],
  BATCH_MAX_SIZE: ['3', { scheduler: { maxBatchSize: 3 } }],
  BATCH_MAX_MS: ['125', { scheduler: { maxBatchSeconds: 0.125 } }],
  MAX_QUEUE_DELAY_MS: ['750', { scheduler: { maxQueueDelaySeconds: 0.75 } }],
  MAX_REQUEST_TOKENS: ['4096', { maxRequestTokens: 4096 }],
  REQUEST_DEADLINE_MS: ['4500', { requestDeadlineMs: 4500 }],
  CLIENT_ID_HEADER: ['X-Client-Id', { clientIdHeader: 'x-client-id' }],
  IDLE_GC_MS: ['0', { idleGcMs: 0 }],
  API_KEYS_FILE: ['/run/keys.json', { apiKeysFile: '/run/keys.json' }],
  FAULT_INJECTION: ['1', { faultInjection: true }],
};

describe('readConfig', () => {
  it('uses the documented defaults', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 8080, modelId: 'unitary/toxic-bert', dtype: 'q8', ortThreads: 1, explicitModel: false });
    expect(config.modelDir).toBe(DEFAULTS.modelDir);
  });

  it('has a case below for every variable it reads', () => {
    expect(variablesRead()).toEqual(Object.keys(EVERY_VARIABLE).sort());
  });

  it("is documented variable for variable in the README's table", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('Function replicas read')).split('\n\n')[1] ?? '';
    const documented = table.split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]!));
    expect(documented.sort()).toEqual(variablesRead());
  });

  it.each(Object.entries(EVERY_VARIABLE))('reads %s into its field', (name, [value, expected]) => {
    const config = readConfig({ [name]: value });
    expect(config).toMatchObject(expected);
    // The value differs from the default, so the field moved because of the variable.
    expect(readConfig({})).not.toMatchObject(expected);
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
