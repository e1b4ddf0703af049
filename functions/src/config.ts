/**
 * @module config
 * Reads the function's configuration from the environment once, validates it, and hands it
 * out as one typed object. Nothing else in functions/ reads `process.env`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SCHEDULER, type SchedulerOptions } from './queue/scheduler.ts';

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
  /**
   * MODEL_DIR, MODEL_ID or MODEL_DTYPE was set: someone chose a model, so it must be there. The
   * stand-in replaces a missing model only when none of them was set (functions/src/model/location.ts).
   */
  explicitModel: boolean;
  modelId: string;
  dtype: ModelDtype;
  /** Intra-op threads of each inference worker's ONNX Runtime session. */
  ortThreads: number;
  /**
   * Inference workers in this replica, each a session on a thread of its own, all fed from one
   * queue (queue/scheduler.ts). Together with ortThreads, as many threads as the replica has cores.
   */
  inferenceWorkers: number;
  /** Largest request body accepted, in bytes (413 above it). */
  maxBodyBytes: number;
  /** How long SIGTERM waits for in-flight requests before exiting anyway. */
  drainTimeoutMs: number;
  /** Folder of the built page, served at `/` when it exists (the embedded `npm start`). */
  staticDir: string;
  /** Fair queueing, batching and load shedding in the replica (queue/scheduler.ts). */
  scheduler: SchedulerOptions;
  /** Most model work one request may cost, in tokens of every sequence it runs. */
  maxRequestTokens: number;
  /** A request's unstarted work is dropped, and it is answered 504, this long after it arrived. */
  requestDeadlineMs: number;
  /**
   * Request header naming the client for fair queueing, set by the proxy in front (which must
   * overwrite whatever the client sent); empty: the connection's address.
   */
  clientIdHeader: string;
  /** Quiet time after which a replica runs one full garbage collection (0: never); see memory/idle-gc.ts. */
  idleGcMs: number;
  /**
   * API_KEYS_FILE: the key file (functions/src/keys/key-file.ts); empty: no keys, the API is open.
   * nginx enforces the keys, asking the replicas' /internal/auth.
   */
  apiKeysFile: string;
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
  explicitModel: false,
  modelId: 'unitary/toxic-bert',
  dtype: 'q8',
  ortThreads: 1,
  inferenceWorkers: 1,
  maxBodyBytes: 1024 * 1024,
  drainTimeoutMs: 10_000,
  staticDir: path.join(repoRoot, 'static/dist'),
  scheduler: DEFAULT_SCHEDULER,
  // A 20,000-character English text with sentence spans costs 10,000 to 12,000 (the GPL's text,
  // this project's README); the costliest request within the budget, 24 texts of 512 tokens,
  // is the figure `npm run bench` reports as worst_request_ms (README, Performance).
  maxRequestTokens: 12_288,
  // Below the proxy's API_TIMEOUT (60 s), so the replica answers before nginx gives up.
  requestDeadlineMs: 30_000,
  clientIdHeader: '',
  idleGcMs: 5000,
  apiKeysFile: '',
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
    explicitModel: Boolean(env.MODEL_DIR || env.MODEL_ID || env.MODEL_DTYPE),
    modelId,
    dtype,
    ortThreads: integer(env, 'ORT_THREADS', DEFAULTS.ortThreads, 1, 256),
    inferenceWorkers: integer(env, 'INFERENCE_WORKERS', DEFAULTS.inferenceWorkers, 1, 256),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', DEFAULTS.maxBodyBytes, 1024, 64 * 1024 * 1024),
    drainTimeoutMs: integer(env, 'DRAIN_TIMEOUT_MS', DEFAULTS.drainTimeoutMs, 0, 600_000),
    staticDir: path.resolve(env.STATIC_DIR || DEFAULTS.staticDir),
    scheduler: {
      ...DEFAULTS.scheduler,
      maxBatchSize: integer(env, 'BATCH_MAX_SIZE', DEFAULTS.scheduler.maxBatchSize, 1, 1024),
      maxBatchSeconds: integer(env, 'BATCH_MAX_MS', DEFAULTS.scheduler.maxBatchSeconds * 1000, 1, 60_000) / 1000,
      maxQueueDelaySeconds: integer(env, 'MAX_QUEUE_DELAY_MS', DEFAULTS.scheduler.maxQueueDelaySeconds * 1000, 1, 600_000) / 1000,
    },
    maxRequestTokens: integer(env, 'MAX_REQUEST_TOKENS', DEFAULTS.maxRequestTokens, 512, 1 << 24),
    requestDeadlineMs: integer(env, 'REQUEST_DEADLINE_MS', DEFAULTS.requestDeadlineMs, 100, 3_600_000),
    clientIdHeader: (env.CLIENT_ID_HEADER ?? DEFAULTS.clientIdHeader).toLowerCase(),
    idleGcMs: integer(env, 'IDLE_GC_MS', DEFAULTS.idleGcMs, 0, 3_600_000),
    apiKeysFile: env.API_KEYS_FILE ? path.resolve(env.API_KEYS_FILE) : DEFAULTS.apiKeysFile,
    faultInjection: env.FAULT_INJECTION === '1',
  };
}
