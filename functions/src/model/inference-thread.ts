/**
 * @module inference-thread
 * The main thread's handle on the inference worker (inference-worker.ts): starts it, sends it
 * one batch at a time, and hands back each batch's logits and how long the forward pass took
 * inside the worker.
 */
import type { Worker } from 'node:worker_threads';
import type { ForwardJob, InferenceWorkerOptions, WorkerReply } from './inference-protocol.ts';
import { startWorker } from './worker-thread.ts';

export interface ForwardResult {
  /** One row of raw logits per sequence, in order. */
  logits: Float32Array[];
  /** Time of the forward pass itself, measured in the worker. */
  seconds: number;
}

export interface InferenceThread {
  /** Runs sequences that already carry their special tokens as one padded batch. */
  forward(sequences: readonly (readonly number[])[]): Promise<ForwardResult>;
  close(): Promise<void>;
}

/**
 * The worker beside this module: inference-worker.ts when running from the sources, and
 * inference-worker.mjs beside the server bundle (tools/stack/build.ts builds both).
 */
const WORKER_FILE = new URL(import.meta.url.endsWith('.ts') ? './inference-worker.ts' : './inference-worker.mjs', import.meta.url);

/**
 * Resolves once the worker has loaded the model. `onCrash` is called if the worker dies
 * later: the replica cannot score anything after that.
 * @example
 * const inference = await startInferenceThread({ root, modelId: 'unitary/toxic-bert', dtype: 'q8', ortThreads: 1 }, fail);
 * const { logits } = await inference.forward([[101, 7592, 102]]);
 */
export async function startInferenceThread(options: InferenceWorkerOptions, onCrash: (error: Error) => void): Promise<InferenceThread> {
  const worker: Worker = startWorker(WORKER_FILE, options);
  const waiting = new Map<number, { resolve(result: ForwardResult): void; reject(error: Error): void }>();
  let nextId = 0;
  let closing = false;

  const failAll = (error: Error) => {
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      worker.off('message', onMessage).off('error', settle).off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.type === 'ready') settle();
      else if (reply.type === 'load_failed') settle(new Error(reply.message));
    };
    const onExit = (code: number) => settle(new Error(`the inference worker exited with code ${code} while loading the model`));
    worker.on('message', onMessage).on('error', settle).on('exit', onExit);
  });

  worker.on('message', (reply: WorkerReply) => {
    if (reply.type !== 'logits' && reply.type !== 'failed') return;
    const job = waiting.get(reply.id);
    if (!job) return;
    waiting.delete(reply.id);
    if (reply.type === 'failed') {
      job.reject(new Error(reply.message));
      return;
    }
    const rows = reply.logits.length / reply.labels;
    job.resolve({
      logits: Array.from({ length: rows }, (_, i) => reply.logits.subarray(i * reply.labels, (i + 1) * reply.labels)),
      seconds: reply.seconds,
    });
  });
  const crashed = (error: Error) => {
    failAll(error);
    if (!closing) onCrash(error);
  };
  worker.on('error', crashed);
  worker.on('exit', (code) => crashed(new Error(`the inference worker exited with code ${code}`)));

  return {
    forward(sequences) {
      const lengths = Int32Array.from(sequences, (s) => s.length);
      const ids = new Int32Array(lengths.reduce((sum, n) => sum + n, 0));
      let offset = 0;
      for (const sequence of sequences) {
        ids.set(sequence, offset);
        offset += sequence.length;
      }
      const job: ForwardJob = { id: nextId++, ids, lengths };
      return new Promise<ForwardResult>((resolve, reject) => {
        waiting.set(job.id, { resolve, reject });
        worker.postMessage(job, [ids.buffer, lengths.buffer]);
      });
    },
    async close() {
      closing = true;
      await worker.terminate();
      failAll(new Error('the inference worker was stopped'));
    },
  };
}
