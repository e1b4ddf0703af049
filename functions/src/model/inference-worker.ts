/**
 * @module inference-worker
 * The model's forward pass on a thread of its own. onnxruntime-node runs a session
 * synchronously on the thread that calls it, so on the main thread a batch would stop the
 * replica from reading requests, refusing work, answering probes or noticing clients that
 * left. Here it blocks only this thread. Loads the model through transformers.js'
 * text-classification pipeline from a local folder (never from the network) and answers one
 * ForwardJob at a time with raw logits.
 */
import { env, pipeline, Tensor, type TextClassificationPipeline } from '@huggingface/transformers';
import { parentPort, workerData } from 'node:worker_threads';
import type { ForwardJob, InferenceWorkerOptions, WorkerReply } from './inference-protocol.ts';

const options = workerData as InferenceWorkerOptions;
const port = parentPort!;

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = options.root;

function int64Tensor(job: ForwardJob, width: number, cell: (id: number | undefined, j: number, length: number) => number): Tensor {
  const rows = job.lengths.length;
  const data = new BigInt64Array(rows * width);
  for (let i = 0, offset = 0; i < rows; offset += job.lengths[i]!, i++) {
    const length = job.lengths[i]!;
    for (let j = 0; j < width; j++) data[i * width + j] = BigInt(cell(j < length ? job.ids[offset + j] : undefined, j, length));
  }
  return new Tensor('int64', data, [rows, width]);
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
  const { model, tokenizer } = classifier;
  const padId = tokenizer.pad_token_id ?? 0;
  const inputNames: string[] = (model as unknown as { sessions: { model: { inputNames: string[] } } }).sessions.model.inputNames;

  port.on('message', async (job: ForwardJob) => {
    try {
      const started = performance.now();
      const width = Math.max(...job.lengths);
      const feeds: Record<string, Tensor> = {
        input_ids: int64Tensor(job, width, (id) => id ?? padId),
        attention_mask: int64Tensor(job, width, (id) => (id === undefined ? 0 : 1)),
        token_type_ids: int64Tensor(job, width, () => 0),
      };
      const { logits } = (await model(Object.fromEntries(inputNames.map((name) => [name, feeds[name]])))) as { logits: Tensor };
      const data = Float32Array.from(logits.data as Float32Array);
      const reply: WorkerReply = { type: 'logits', id: job.id, logits: data, labels: logits.dims[1] ?? 0, seconds: (performance.now() - started) / 1000 };
      port.postMessage(reply, [data.buffer]);
    } catch (error) {
      port.postMessage({ type: 'failed', id: job.id, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ type: 'load_failed', message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
}
