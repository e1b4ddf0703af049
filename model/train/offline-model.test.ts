/**
 * @module offline-model.test
 * Checks the shipped offline model (model/offline/unitary/toxic-bert) through the same
 * transformers.js pipeline call the service makes, and its ONNX interface through
 * onnxruntime-node: the declared inputs, and that padding never changes a score.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, pipeline, type TextClassificationPipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

const offlineRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'offline');
const modelDir = join(offlineRoot, 'unitary', 'toxic-bert');
const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];

env.allowRemoteModels = false;
env.localModelPath = `${offlineRoot}/`;

type Scores = { label: string; score: number }[];

describe.each(['q8', 'fp32'] as const)('offline model through the pipeline (%s)', (dtype) => {
  it('returns a sigmoid score for each of the six labels, high toxic only for abuse', async () => {
    const clf = (await pipeline('text-classification', 'unitary/toxic-bert', { dtype })) as TextClassificationPipeline;
    const [abusive, friendly] = (await clf(['you are a stupid bitch', 'have a nice day'], { top_k: null })) as Scores[];
    for (const scores of [abusive, friendly]) {
      expect(scores?.map((s) => s.label).sort()).toEqual([...LABELS].sort());
      for (const s of scores ?? []) expect(s.score).toBeGreaterThanOrEqual(0), expect(s.score).toBeLessThanOrEqual(1);
    }
    const toxic = (scores: Scores | undefined) => scores?.find((s) => s.label === 'toxic')?.score ?? Number.NaN;
    expect(toxic(abusive)).toBeGreaterThan(0.9);
    expect(toxic(friendly)).toBeLessThan(0.3);
    await clf.dispose();
  });
});

describe('offline tokenizer', () => {
  it('wraps text in [CLS] ... [SEP]', async () => {
    const clf = (await pipeline('text-classification', 'unitary/toxic-bert', { dtype: 'q8' })) as TextClassificationPipeline;
    const ids = Array.from(clf.tokenizer('hello world').input_ids.data as BigInt64Array, Number);
    expect(ids[0]).toBe(2);
    expect(ids.at(-1)).toBe(3);
    expect(ids.slice(1, -1)).not.toContain(1); // no [UNK]
    expect(clf.tokenizer.decode(ids, { skip_special_tokens: true })).toBe('hello world');
    await clf.dispose();
  });
});

describe('config.json', () => {
  it("has toxic-bert's labels and the offline marker", () => {
    const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8'));
    expect(config.toxicity_monitor_offline).toBe(true);
    expect(config.problem_type).toBe('multi_label_classification');
    expect(LABELS.map((_, i) => config.id2label[String(i)])).toEqual(LABELS);
  });
});

describe.each(['model.onnx', 'model_quantized.onnx'])('%s interface', (file) => {
  const int64 = (rows: number[][]) =>
    new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]?.length ?? 0]);
  const run = async (session: ort.InferenceSession, ids: number[][], mask: number[][], types = ids.map((r) => r.map(() => 0))) => {
    const { logits } = await session.run({ input_ids: int64(ids), attention_mask: int64(mask), token_type_ids: int64(types) });
    return Array.from(logits?.data as Float32Array);
  };

  it('declares BERT inputs and a [batch, 6] logits output', async () => {
    const session = await ort.InferenceSession.create(join(modelDir, 'onnx', file));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(session.outputNames).toEqual(['logits']);
    const logits = await run(session, [[2, 40, 50, 3]], [[1, 1, 1, 1]]);
    expect(logits).toHaveLength(6);
    await session.release();
  });

  it('gives the same logits with or without padding, whatever token_type_ids say', async () => {
    const session = await ort.InferenceSession.create(join(modelDir, 'onnx', file));
    const plain = await run(session, [[2, 40, 50, 60, 3]], [[1, 1, 1, 1, 1]]);
    const padded = await run(
      session,
      [[2, 40, 50, 60, 3, 0, 0, 0], [2, 70, 3, 0, 0, 0, 0, 0]],
      [[1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0]],
    );
    const withTypes = await run(session, [[2, 40, 50, 60, 3]], [[1, 1, 1, 1, 1]], [[0, 0, 1, 1, 1]]);
    for (let i = 0; i < 6; i++) {
      expect(padded[i]).toBeCloseTo(plain[i] as number, 5);
      expect(withTypes[i]).toBe(plain[i]);
    }
    await session.release();
  });
});
