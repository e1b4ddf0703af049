/**
 * @module inference-worker
 * The model's forward pass on a thread of its own. onnxruntime-node runs a session
 * synchronously on the thread that calls it, so on the main thread a batch would stop the
 * replica from reading requests, refusing work, answering probes or noticing clients that
 * left. Here it blocks only this thread. Loads the model through transformers.js'
 * text-classification pipeline from a local folder (never from the network) and answers one
 * ForwardJob at a time with raw logits.
 */
import { env, pipeline, type TextClassificationPipeline } from '@huggingface/transformers';
import { parentPort, workerData } from 'node:worker_threads';
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import type { ForwardJob, InferenceWorkerOptions, WorkerReply } from './inference-protocol.ts';

const options = workerData as InferenceWorkerOptions;
const port = parentPort!;

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = options.root;

/**
 * The batch's three int64 inputs, padded to its longest sequence. Ids and the mask are small
 * non-negative numbers, so each int64 is written as its low 32 bits (little-endian) with the
 * high word left 0: no BigInt per cell.
 */
function inputs(job: ForwardJob, padId: number): Record<string, Tensor> {
  const rows = job.lengths.length;
  const width = Math.max(...job.lengths);
  const ids = new Int32Array(rows * width * 2);
  const mask = new Int32Array(rows * width * 2);
  for (let i = 0, offset = 0; i < rows; offset += job.lengths[i]!, i++) {
    const length = job.lengths[i]!;
    for (let j = 0; j < width; j++) {
      const cell = 2 * (i * width + j);
      ids[cell] = j < length ? job.ids[offset + j]! : padId;
      mask[cell] = j < length ? 1 : 0;
    }
  }
  const int64 = (words: Int32Array) => new Tensor('int64', new BigInt64Array(words.buffer), [rows, width]);
  return { input_ids: int64(ids), attention_mask: int64(mask), token_type_ids: int64(new Int32Array(rows * width * 2)) };
}

try {
  const classifier = (await pipeline('text-classification', options.modelId, {
    dtype: options.dtype,
    device: 'cpu',
    session_options: {
      intraOpNumThreads: options.ortThreads,
      // One batch runs on this replica's intra-op threads only; replicas share the host's cores.
      interOpNumThreads: 1,
      executionMode: 'sequential',
    },
  })) as TextClassificationPipeline;
  const padId = classifier.tokenizer.pad_token_id ?? 0;
  // The ONNX Runtime session the pipeline loaded, run directly: the pipeline's own call wraps
  // and checks every tensor again, a few percent of a tweet's forward pass.
  const session = (classifier.model as unknown as { sessions: { model: InferenceSession } }).sessions.model;

  // One job after another: a handler must not start (or start its clock) while another runs.
  let queue = Promise.resolve();
  port.on('message', (job: ForwardJob) => {
    queue = queue.then(() => run(job));
  });
  async function run(job: ForwardJob): Promise<void> {
    try {
      const started = performance.now();
      const feeds = inputs(job, padId);
      const { logits } = await session.run(Object.fromEntries(session.inputNames.map((name) => [name, feeds[name]!])));
      const data = Float32Array.from(logits!.data as Float32Array);
      const reply: WorkerReply = { type: 'logits', id: job.id, logits: data, labels: logits!.dims[1] ?? 0, seconds: (performance.now() - started) / 1000 };
      port.postMessage(reply, [data.buffer]);
    } catch (error) {
      port.postMessage({ type: 'failed', id: job.id, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
    }
  }
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ type: 'load_failed', message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
}
