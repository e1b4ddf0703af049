/**
 * @module bare-session
 * The floor the pipeline is compared with: onnxruntime-node's own InferenceSession on the same
 * .onnx file, with the session options the loader asks transformers.js for, run on feeds built
 * before timing starts, so a call costs session.run and nothing else.
 */
import * as ort from 'onnxruntime-node';

export interface BareSession {
  /** Int64 feeds for one sequence that already carries its special tokens. */
  feeds(sequence: readonly number[]): Record<string, ort.Tensor>;
  run(feeds: Record<string, ort.Tensor>): Promise<void>;
  release(): Promise<void>;
}

function int64Row(values: readonly number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
}

export async function openBareSession(onnxFile: string, intraOpNumThreads: number): Promise<BareSession> {
  const session = await ort.InferenceSession.create(onnxFile, {
    intraOpNumThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  return {
    feeds(sequence) {
      const byName: Record<string, ort.Tensor> = {
        input_ids: int64Row(sequence),
        attention_mask: int64Row(sequence.map(() => 1)),
        token_type_ids: int64Row(sequence.map(() => 0)),
      };
      return Object.fromEntries(session.inputNames.map((name) => [name, byName[name]!]));
    },
    async run(feeds) {
      await session.run(feeds);
    },
    release: () => session.release(),
  };
}
