/**
 * @module evaluate
 * Scores texts with a shipped .onnx file through onnxruntime-node, feeding it the token ids of
 * the transformers.js tokenizer loaded from the shipped tokenizer.json, so the reported numbers
 * are those of the files the service loads.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';

/** Rows per run: large enough to be quick, and every batch is padded, which exercises the mask. */
const BATCH = 64;

/** Logits of each text, one Float32Array of six per text. */
export async function onnxLogits(
  modelPath: string,
  tokenizer: PreTrainedTokenizer,
  texts: readonly string[],
): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(modelPath);
  const out: Float32Array[] = [];
  try {
    for (let start = 0; start < texts.length; start += BATCH) {
      const batch = texts.slice(start, start + BATCH);
      const enc = tokenizer(batch, { padding: true, truncation: true });
      const feeds: Record<string, ort.Tensor> = {};
      for (const name of ['input_ids', 'attention_mask', 'token_type_ids'] as const) {
        const t = enc[name];
        if (!t) throw new Error(`tokenizer gave no ${name}`);
        feeds[name] = new ort.Tensor('int64', t.data as BigInt64Array, t.dims);
      }
      const { logits } = await session.run(feeds);
      if (!logits) throw new Error(`${modelPath}: no logits output`);
      const data = logits.data as Float32Array;
      const width = logits.dims[1] as number;
      for (let i = 0; i < batch.length; i++) out.push(data.slice(i * width, (i + 1) * width));
    }
  } finally {
    await session.release();
  }
  return out;
}
