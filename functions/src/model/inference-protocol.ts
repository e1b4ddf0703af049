/**
 * @module inference-protocol
 * The messages between the replica's main thread and its inference worker.
 */
import type { ModelDtype } from '../config.ts';

/** What the worker is started with. */
export interface InferenceWorkerOptions {
  /** The folder holding `<modelId>/` (transformers.js' localModelPath). */
  root: string;
  modelId: string;
  dtype: ModelDtype;
  ortThreads: number;
}

/** Main → worker: one batch, its sequences' token ids end to end, special tokens included. */
export interface ForwardJob {
  id: number;
  ids: Int32Array;
  lengths: Int32Array;
}

/** Worker → main. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'load_failed'; message: string }
  | { type: 'logits'; id: number; logits: Float32Array; labels: number; seconds: number }
  | { type: 'failed'; id: number; message: string };
