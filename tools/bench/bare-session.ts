/**
 * @module bare-session
 * The floor the service is compared with: onnxruntime-node's own InferenceSession on the same
 * .onnx file, with the session options the loader asks transformers.js for, run on feeds built
 * before timing starts, so a call costs session.run and nothing else. The pipeline comparison
 * (in-process.ts), the stack's ceiling (ceiling-worker.ts) and the batching bound
 * (batching-bound.ts) all time this one session and these feeds.
 */
import * as ort from 'onnxruntime-node';

export interface BareSession {
  /**
   * Int64 feeds for a batch of sequences that already carry their special tokens, padded to the
   * longest and masked as the service's forward pass pads them.
   */
  feeds(batch: readonly (readonly number[])[]): Record<string, ort.Tensor>;
  run(feeds: Record<string, ort.Tensor>): Promise<void>;
  release(): Promise<void>;
}

function int64(rows: readonly (readonly number[])[], width: number, cell: (row: readonly number[], j: number) => number): ort.Tensor {
  const data = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) data[i * width + j] = BigInt(cell(row, j));
  });
  return new ort.Tensor('int64', data, [rows.length, width]);
}

export async function openBareSession(onnxFile: string, intraOpNumThreads: number): Promise<BareSession> {
  const session = await ort.InferenceSession.create(onnxFile, {
    intraOpNumThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  return {
    feeds(batch) {
      const width = Math.max(...batch.map((s) => s.length));
      const byName: Record<string, ort.Tensor> = {
        input_ids: int64(batch, width, (row, j) => row[j] ?? 0),
        attention_mask: int64(batch, width, (row, j) => (j < row.length ? 1 : 0)),
        token_type_ids: int64(batch, width, () => 0),
      };
      return Object.fromEntries(session.inputNames.map((name) => [name, byName[name]!]));
    },
    async run(feeds) {
      await session.run(feeds);
    },
    release: () => session.release(),
  };
}
