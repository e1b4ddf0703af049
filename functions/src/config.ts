/**
 * @module config
 * Reads the function's configuration from the environment once, validates it, and hands it
 * out as one typed object. Nothing else in functions/ reads `process.env`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ModelDtype = 'q8' | 'fp32';

export interface Config {
  /** TCP port the server listens on. */
  port: number;
  /** Interface to bind; 0.0.0.0 in containers, 127.0.0.1 is enough for the native stack. */
  host: string;
  /** Folder holding `<modelId>/config.json` etc. as transformers.js expects. */
  modelDir: string;
  /** Folder holding the committed offline stand-in, used when modelDir lacks the model. */
  offlineModelDir: string;
  modelId: string;
  dtype: ModelDtype;
  /** Intra-op threads ONNX Runtime may use in this replica. */
  ortThreads: number;
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes: number;
  /** How long SIGTERM waits for in-flight requests before exiting anyway. */
  drainTimeoutMs: number;
  /** Folder of the built page, served at `/` when it exists (the embedded `npm start`). */
  staticDir: string;
  /** Micro-batching and load shedding in the replica. */
  batching: {
    maxWaitMs: number;
    tokenBudget: number;
    maxBatchSize: number;
    maxQueueDelayMs: number;
  };
  /** Quiet time after which a replica runs one full garbage collection (0: never); see memory/idle-gc.ts. */
  idleGcMs: number;
  /** Enables POST /debug/fault (tests of the exception metrics and alerts only). */
  faultInjection: boolean;
}

// Two folders up from this file, and from the server bundle (dist/functions/server.mjs) alike.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DEFAULTS: Config = {
  port: 8080,
  host: '0.0.0.0',
  modelDir: path.join(repoRoot, 'model/weights'),
  offlineModelDir: path.join(repoRoot, 'model/offline'),
  modelId: 'unitary/toxic-bert',
  dtype: 'q8',
  ortThreads: 1,
  maxBodyBytes: 1024 * 1024,
  drainTimeoutMs: 10_000,
  staticDir: path.join(repoRoot, 'static/dist'),
  batching: { maxWaitMs: 0, tokenBudget: 256, maxBatchSize: 32, maxQueueDelayMs: 500 },
  idleGcMs: 5000,
  faultInjection: false,
};

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * @example
 * const config = readConfig(process.env); // throws ConfigError with a readable message
 */
export function readConfig(env: NodeJS.ProcessEnv): Config {
  const dtype = env.MODEL_DTYPE || DEFAULTS.dtype;
  if (dtype !== 'q8' && dtype !== 'fp32') {
    throw new ConfigError(`MODEL_DTYPE must be q8 or fp32, got "${dtype}"`);
  }
  const modelId = env.MODEL_ID || DEFAULTS.modelId;
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(modelId) || modelId.includes('..')) {
    throw new ConfigError(`MODEL_ID must look like owner/name, got "${modelId}"`);
  }
  return {
    port: integer(env, 'PORT', DEFAULTS.port, 0, 65535),
    host: env.HOST || DEFAULTS.host,
    modelDir: path.resolve(env.MODEL_DIR || DEFAULTS.modelDir),
    offlineModelDir: path.resolve(env.OFFLINE_MODEL_DIR || DEFAULTS.offlineModelDir),
    modelId,
    dtype,
    ortThreads: integer(env, 'ORT_THREADS', DEFAULTS.ortThreads, 1, 256),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULTS.maxBodyBytes, 1024, 64 * 1024 * 1024),
    drainTimeoutMs: integer(env, 'DRAIN_TIMEOUT_MS', DEFAULTS.drainTimeoutMs, 0, 600_000),
    staticDir: path.resolve(env.STATIC_DIR || DEFAULTS.staticDir),
    batching: {
      maxWaitMs: integer(env, 'BATCH_MAX_WAIT_MS', DEFAULTS.batching.maxWaitMs, 0, 1000),
      tokenBudget: integer(env, 'BATCH_TOKEN_BUDGET', DEFAULTS.batching.tokenBudget, 64, 1 << 20),
      maxBatchSize: integer(env, 'BATCH_MAX_SIZE', DEFAULTS.batching.maxBatchSize, 1, 1024),
      maxQueueDelayMs: integer(env, 'MAX_QUEUE_DELAY_MS', DEFAULTS.batching.maxQueueDelayMs, 1, 600_000),
    },
    idleGcMs: integer(env, 'IDLE_GC_MS', DEFAULTS.idleGcMs, 0, 3_600_000),
    faultInjection: env.FAULT_INJECTION === '1',
  };
}
